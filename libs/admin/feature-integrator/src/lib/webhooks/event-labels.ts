import {
  PLATFORM_EVENT_TYPES,
  type PlatformEventType,
} from '@oneroster/contracts';

/** What each platform event means, in the words a developer reads on the screens. */
export const EVENT_LABELS: Readonly<Record<PlatformEventType, string>> = {
  'approval.granted': 'a school approves an application',
  'approval.changed': 'a school changes the approved scopes',
  'approval.declined': 'a school declines a request',
  'approval.revoked': 'a school revokes an approval',
  'credential.issued': 'credentials are issued for a school',
  'credential.rotated': "a school's credentials are rotated",
  'credential.revoked': "a school's credentials are revoked",
};

export const EVENT_TYPES: readonly PlatformEventType[] = PLATFORM_EVENT_TYPES;
