export { integratorRoutes } from './lib/integrator.routes';
