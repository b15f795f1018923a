import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Libraries in their own chunks, so no chunk passes Vite's 500 kB warning and a change to the
 * app does not invalidate the browser's cache of React, React Flow or the form library.
 */
const chunkGroups = [
  { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
  { name: 'react-flow', test: /node_modules[\\/](@xyflow|d3-[a-z-]+|zustand|classcat)[\\/]/ },
  {
    name: 'forms',
    test: /node_modules[\\/](@rjsf|ajv|ajv-formats|fast-deep-equal|json-schema-traverse|fast-uri|lodash|lodash-es|react-is|jsonpointer|markdown-to-jsx)[\\/]/,
  },
  { name: 'layout', test: /node_modules[\\/](@dagrejs)[\\/]/ },
  { name: 'core', test: /[\\/]nodes[\\/]src[\\/]|node_modules[\\/](json-logic-js|semver)[\\/]/ },
  { name: 'vendor', test: /node_modules[\\/]/ },
];

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/hooks': 'http://127.0.0.1:8080',
      '/designer-config.json': 'http://127.0.0.1:8080',
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: { output: { codeSplitting: { groups: chunkGroups } } },
  },
});
