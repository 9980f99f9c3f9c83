// Build-time constants (esbuild `define`) and asset imports.
declare module "*.css";
