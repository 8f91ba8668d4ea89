// Test support only: the receipt digest (SHA-256 of canonical JSON), so that tests can check
// a receipt's digest. Production code imports `@oneroster/data-access-portal`.
export { canonicalJson, sha256Hex } from './lib/canonical';
