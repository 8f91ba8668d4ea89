import { Component, computed, inject } from '@angular/core';
import { BACKEND_URLS } from '../backend-urls';
import { healthCheck, ServiceHealth } from './health-check';

interface ServiceRow {
  readonly id: string;
  readonly name: string;
  readonly health: ServiceHealth;
}

/** Landing page: what the portal is for, and whether its back-end services answer. */
@Component({
  selector: 'lib-overview',
  templateUrl: './overview.html',
  styleUrl: './overview.css',
})
export class Overview {
  private readonly urls = inject(BACKEND_URLS);
  private readonly api = healthCheck(this.urls.api);
  private readonly auth = healthCheck(this.urls.auth);

  protected readonly services = computed<readonly ServiceRow[]>(() => [
    { id: 'api', name: 'OneRoster API', health: this.api.health() },
    { id: 'auth', name: 'Authorization server', health: this.auth.health() },
  ]);

  protected readonly checking = computed(() =>
    this.services().some((service) => service.health.state === 'checking'),
  );

  protected recheck(): void {
    this.api.recheck();
    this.auth.recheck();
  }
}
