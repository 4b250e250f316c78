export * from './cart'
export * from './checks'
export * from './session'
