/** A failure said next to what failed, announced to screen readers; nothing when there is none. */
export function FormError({ message }: { message: string }) {
  return message ? (
    <p className="form-error" role="alert">
      {message}
    </p>
  ) : null
}
