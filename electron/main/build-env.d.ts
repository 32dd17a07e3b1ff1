/**
 * What electron-vite's build gives main's code: `?modulePath` imports (the path of a file it bundles
 * separately, e.g. a worker) and `import.meta.env`. From source under tsx there is no
 * `import.meta.env`, hence optional here.
 */
declare module '*?modulePath' {
  const path: string;
  export default path;
}
interface ImportMeta {
  readonly env?: { readonly PROD?: boolean };
}
