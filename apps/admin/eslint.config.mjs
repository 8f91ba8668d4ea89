import { angularConfig } from '../../libs/admin/eslint.angular.mjs';

export default angularConfig('app');
