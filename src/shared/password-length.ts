/** The shortest staff password (issue 14): the core's rule and the screens' hint read the same number. */
export const MIN_PASSWORD_LENGTH = 12
