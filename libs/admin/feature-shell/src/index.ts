export { shellRoutes } from './lib/shell.routes';
export { Shell } from './lib/shell/shell';
export { Overview } from './lib/overview/overview';
export {
  BACKEND_URLS,
  type BackendUrls,
  provideBackendUrls,
} from './lib/backend-urls';
export { Home } from './lib/home/home';
export { Receipt } from './lib/receipt/receipt';
