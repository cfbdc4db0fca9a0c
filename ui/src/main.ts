import { createApp } from 'vue'
import 'element-plus/dist/index.css'
import 'dayjs/locale/zh-cn'
import './style.css'
import App from './App.vue'
import NotInDesktop from './NotInDesktop.vue'
import { inDesktop } from './api/ipc'
import { router } from './router'

// Outside the Tauri window there is no ledger to talk to: say so plainly
// instead of showing a broken screen.
if (inDesktop()) {
  createApp(App).use(router).mount('#app')
} else {
  createApp(NotInDesktop).mount('#app')
}
