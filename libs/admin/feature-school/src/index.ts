export { schoolRoutes } from './lib/school.routes';
