import { Component, computed } from '@angular/core';
import { httpResource } from '@angular/common/http';
import type { SandboxInfo } from '@oneroster/contracts';
import { portalUrls, toPortalError } from '@oneroster/admin-data-access';
import { CopyButton, LoadState } from '@oneroster/admin-ui';

/** Where to try the API against invented data: schools, clients, token endpoint, Swagger UI. */
@Component({
  selector: 'lib-sandbox',
  imports: [CopyButton, LoadState],
  templateUrl: './sandbox.html',
})
export class Sandbox {
  protected readonly info = httpResource<SandboxInfo>(() => portalUrls.sandbox);
  protected readonly error = computed(() =>
    this.info.error() ? toPortalError(this.info.error()) : null,
  );
  protected schoolName(info: SandboxInfo, schoolId: string): string {
    return info.schools.find((s) => s.id === schoolId)?.name ?? schoolId;
  }
}
