import { inject, Injectable } from '@angular/core';
import { HttpClient, HttpEventType } from '@angular/common/http';
import { firstValueFrom, map, Observable, filter } from 'rxjs';
import type {
  AccountInput,
  AccountView,
  PasswordChangeRequest,
  PasswordReset,
  RoleRemoval,
  ApplicationInput,
  ApplicationView,
  ApprovalView,
  CreatedAccount,
  CredentialView,
  DeclineRequest,
  GrantableScope,
  ImportJobView,
  IntegratorInput,
  IntegratorSummary,
  IssuedCredential,
  MisCredentialRequest,
  MisScopesRequest,
  SchoolInput,
  SchoolSummary,
  CreatedWebhook,
  WebhookDeliveryView,
  WebhookInput,
} from '@oneroster/contracts';
import { toPortalError } from './portal-error';
import { portalUrls } from './portal-urls';

/** Progress of an upload: bytes sent so far, then the server's answer. */
export type UploadProgress =
  | { readonly kind: 'progress'; readonly percent: number }
  | { readonly kind: 'done'; readonly job: ImportJobView };

/**
 * The portal API's state-changing calls. Each resolves with the server's answer or rejects
 * with a `PortalError` (the CSRF header is added by `portalInterceptor`). Reads are done by
 * the screens with `httpResource` on `portalUrls`.
 */
@Injectable({ providedIn: 'root' })
export class PortalApi {
  private readonly http = inject(HttpClient);

  approve(schoolId: string, appId: string, scopes: GrantableScope[]) {
    return this.post<ApprovalView>(
      portalUrls.schoolDecision(schoolId, appId, 'approve'),
      { scopes },
    );
  }

  decline(schoolId: string, appId: string, reason: string) {
    const body: DeclineRequest = reason.trim() ? { reason: reason.trim() } : {};
    return this.post<ApprovalView>(
      portalUrls.schoolDecision(schoolId, appId, 'decline'),
      body,
    );
  }

  revoke(schoolId: string, appId: string) {
    return this.post<ApprovalView>(
      portalUrls.schoolDecision(schoolId, appId, 'revoke'),
      {},
    );
  }

  /** The school's MIS credential: a client of an approved application; its secret is shown once. */
  issueMisCredential(
    schoolId: string,
    applicationId: string,
    platformScopes: string[],
  ) {
    const body: MisCredentialRequest = { applicationId, platformScopes };
    return this.post<IssuedCredential>(
      portalUrls.schoolMisCredentials(schoolId),
      body,
    );
  }

  /** Sets the platform scopes of one of the school's clients (`[]` takes them away). */
  setMisScopes(schoolId: string, clientId: string, platformScopes: string[]) {
    const body: MisScopesRequest = { platformScopes };
    return this.send<CredentialView>(
      this.http.put<CredentialView>(
        portalUrls.schoolMisCredential(schoolId, clientId),
        body,
      ),
    );
  }

  createApplication(integratorId: string, input: ApplicationInput) {
    return this.post<ApplicationView>(
      portalUrls.integratorApplications(integratorId),
      input,
    );
  }

  updateApplication(appId: string, input: Partial<ApplicationInput>) {
    return this.send<ApplicationView>(
      this.http.patch<ApplicationView>(portalUrls.application(appId), input),
    );
  }

  requestApproval(appId: string, schoolId: string) {
    return this.post<ApprovalView>(
      portalUrls.requestApproval(appId, schoolId),
      {},
    );
  }

  /** A client-credentials client for `schoolId`, or the OIDC client when it is omitted. */
  createCredential(appId: string, schoolId?: string) {
    return this.post<IssuedCredential>(
      portalUrls.credentials(appId),
      schoolId ? { schoolId } : {},
    );
  }

  rotateCredential(clientId: string) {
    return this.post<IssuedCredential>(
      portalUrls.rotateCredential(clientId),
      {},
    );
  }

  revokeCredential(clientId: string) {
    return this.post<CredentialView>(portalUrls.revokeCredential(clientId), {});
  }

  /** Registers a webhook; the answer carries its signing secret, shown this once. */
  createWebhook(integratorId: string, input: WebhookInput) {
    return this.post<CreatedWebhook>(
      portalUrls.integratorWebhooks(integratorId),
      input,
    );
  }

  deleteWebhook(webhookId: string) {
    return this.send<null>(
      this.http.delete<null>(portalUrls.webhook(webhookId)),
    );
  }

  /** A new delivery of the same event, due at once. */
  replayDelivery(webhookId: string, deliveryId: string) {
    return this.post<WebhookDeliveryView>(
      portalUrls.replayDelivery(webhookId, deliveryId),
      {},
    );
  }

  createIntegrator(input: IntegratorInput) {
    return this.post<IntegratorSummary>(portalUrls.integrators, input);
  }

  createSchool(input: SchoolInput) {
    return this.post<SchoolSummary>(portalUrls.schools, input);
  }

  createAccount(input: AccountInput) {
    return this.post<CreatedAccount>(portalUrls.accounts, input);
  }

  /** Disables an account: its sessions end at once. */
  disableAccount(accountId: string) {
    return this.post<AccountView>(
      portalUrls.accountAction(accountId, 'disable'),
      {},
    );
  }

  enableAccount(accountId: string) {
    return this.post<AccountView>(
      portalUrls.accountAction(accountId, 'enable'),
      {},
    );
  }

  /** Takes one role away: the account's sessions end at once. */
  removeRole(accountId: string, removal: RoleRemoval) {
    return this.post<AccountView>(
      portalUrls.accountAction(accountId, 'roles/remove'),
      removal,
    );
  }

  /** A new one-time password (shown once) that the account must change at its next sign-in. */
  resetPassword(accountId: string) {
    return this.post<PasswordReset>(
      portalUrls.accountAction(accountId, 'reset-password'),
      {},
    );
  }

  /** Changes the signed-in account's own password; its other sessions end. */
  changePassword(request: PasswordChangeRequest) {
    return this.post<null>(portalUrls.myPassword, request);
  }

  /**
   * Uploads a OneRoster CSV zip as the request body and reports the bytes sent; the last
   * event carries the queued import job. Errors arrive as `PortalError`.
   */
  uploadImport(
    schoolId: string,
    file: Blob,
    mode: 'apply' | 'validate',
  ): Observable<UploadProgress> {
    return this.http
      .post<ImportJobView>(portalUrls.schoolImports(schoolId), file, {
        params: { mode },
        headers: { 'Content-Type': 'application/zip' },
        reportProgress: true,
        observe: 'events',
      })
      .pipe(
        filter(
          (event) =>
            event.type === HttpEventType.UploadProgress ||
            event.type === HttpEventType.Response,
        ),
        map((event): UploadProgress => {
          if (event.type === HttpEventType.Response) {
            return { kind: 'done', job: event.body as ImportJobView };
          }
          const total = event.total ?? file.size;
          return {
            kind: 'progress',
            percent: total ? Math.round((100 * event.loaded) / total) : 0,
          };
        }),
      );
  }

  private post<T>(url: string, body: unknown): Promise<T> {
    return this.send(this.http.post<T>(url, body));
  }

  private async send<T>(call: Observable<T>): Promise<T> {
    try {
      return await firstValueFrom(call);
    } catch (failure) {
      throw toPortalError(failure);
    }
  }
}
