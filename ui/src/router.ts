import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'

// Hash history: the desktop shell serves dist/ from disk, where only the
// fragment can change without a server behind it.
const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/today' },
  { path: '/today', name: 'today', component: () => import('./views/TodayView.vue'), meta: { title: '今日工作' } },
  { path: '/cases', name: 'ledger', component: () => import('./views/LedgerView.vue'), meta: { title: '台账' } },
  { path: '/cases/:id', name: 'case', component: () => import('./views/CaseView.vue'), props: true, meta: { title: '案件详情' } },
  { path: '/intake', name: 'intake', component: () => import('./views/IntakeView.vue'), meta: { title: '登记' } },
  { path: '/stats', name: 'stats', component: () => import('./views/StatsView.vue'), meta: { title: '统计（挂图作战）' } },
  { path: '/mediators', name: 'mediators', component: () => import('./views/MediatorsView.vue'), meta: { title: '调解员' } },
  { path: '/units', name: 'units', component: () => import('./views/UnitsView.vue'), meta: { title: '组织机构' } },
  { path: '/:rest(.*)*', redirect: '/today' },
]

export const router = createRouter({
  history: createWebHashHistory(),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})

router.afterEach((to) => {
  const title = typeof to.meta.title === 'string' ? to.meta.title : ''
  document.title = title ? `${title} - 调解台账` : '调解台账'
})
