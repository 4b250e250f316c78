/**
 * The IPC channel's name, alone in a file without dependencies: the sandboxed preload imports
 * it, and anything else it imported (zod…) would be bundled into the preload.
 */
export const IPC_CHANNEL = 'guichet:rpc'
