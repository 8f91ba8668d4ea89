export { ConfirmDialog } from './lib/confirm-dialog/confirm-dialog';
export { CopyButton } from './lib/copy-button/copy-button';
export { LoadState } from './lib/load-state/load-state';
export { formatDateTime } from './lib/format';
export { CategoryScopes } from './lib/category-scopes/category-scopes';
export { BarChart, type Bar, type BarSegment } from './lib/bar-chart/bar-chart';
