// hyparquet-compressors' LZ4 module on its own: its index also pulls in a ~100 KB Brotli decoder
// (with its dictionary) that esbuild cannot drop, and Node's zlib already decodes Brotli.
declare module 'hyparquet-compressors/src/lz4.js' {
  export function decompressLz4(input: Uint8Array, outputLength: number): Uint8Array;
  export function decompressLz4Raw(input: Uint8Array, outputLength: number): Uint8Array;
}
