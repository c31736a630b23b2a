import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The server serves ui/dist at / (SPA fallback) and GraphQL at /graphql on the same origin.
// In `vite dev` we proxy /graphql to a running Plexus (PLEXUS_URL, default http://127.0.0.1:8080).
const api = process.env.PLEXUS_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/',
  plugins: [svelte()],
  server: {
    proxy: {
      '/graphql': { target: api, changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/graphql': { target: api, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
});
