// The package ships no type declarations: its default export is the Emscripten module factory.
declare module '@echogarden/pffft-wasm/simd' {
  const factory: () => Promise<unknown>;
  export default factory;
}
