import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The desktop shell loads dist/ from disk (Tauri) or the dev server on 5173;
// WebKitGTK on older Linux and WebView2 both handle ES2021.
export default defineConfig({
  base: './',
  plugins: [vue()],
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2021',
    // Element Plus and ECharts are large; the split below keeps each chunk
    // cacheable and the warning meaningful.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)/ },
            { name: 'element-plus', test: /node_modules[\\/](element-plus|@element-plus|@vueuse|@floating-ui|@ctrl|dayjs|async-validator|lodash)/ },
          ],
        },
      },
    },
  },
})
