// WBXML code pages of ActiveSync (MS-ASWBXML, cross-checked with gallus
// `wbxml/activesync.rb`; spec §14.3). Page 0xFE is Skype's private page, whose
// meanings are gallus' guesses.

type Page = Record<number, string>

const AIRSYNC: Page = {
  0x05: 'Sync',
  0x06: 'Responses',
  0x07: 'Add',
  0x08: 'Change',
  0x09: 'Delete',
  0x0a: 'Fetch',
  0x0b: 'SyncKey',
  0x0c: 'ClientId',
  0x0d: 'ServerId',
  0x0e: 'Status',
  0x0f: 'Collection',
  0x10: 'Class',
  0x12: 'CollectionId',
  0x13: 'GetChanges',
  0x14: 'MoreAvailable',
  0x15: 'WindowSize',
  0x16: 'Commands',
  0x17: 'Options',
  0x18: 'FilterType',
  0x1b: 'Conflict',
  0x1c: 'Collections',
  0x1d: 'ApplicationData',
  0x1e: 'DeletesAsMoves',
  0x20: 'Supported',
  0x21: 'SoftDelete',
  0x22: 'MIMESupport',
  0x23: 'MIMETruncation',
  0x24: 'Wait',
  0x25: 'Limit',
  0x26: 'Partial',
  0x27: 'ConversationMode',
  0x28: 'MaxItems',
  0x29: 'HeartbeatInterval'
}

const CONTACTS: Page = {
  0x05: 'Anniversary',
  0x06: 'AssistantName',
  0x07: 'AssistantPhoneNumber',
  0x08: 'Birthday',
  0x0c: 'Business2PhoneNumber',
  0x0d: 'BusinessAddressCity',
  0x0e: 'BusinessAddressCountry',
  0x0f: 'BusinessAddressPostalCode',
  0x10: 'BusinessAddressState',
  0x11: 'BusinessAddressStreet',
  0x12: 'BusinessFaxNumber',
  0x13: 'BusinessPhoneNumber',
  0x14: 'CarPhoneNumber',
  0x15: 'Categories',
  0x16: 'Category',
  0x17: 'Children',
  0x18: 'Child',
  0x19: 'CompanyName',
  0x1a: 'Department',
  0x1b: 'Email1Address',
  0x1c: 'Email2Address',
  0x1d: 'Email3Address',
  0x1e: 'FileAs',
  0x1f: 'FirstName',
  0x20: 'Home2PhoneNumber',
  0x21: 'HomeAddressCity',
  0x22: 'HomeAddressCountry',
  0x23: 'HomeAddressPostalCode',
  0x24: 'HomeAddressState',
  0x25: 'HomeAddressStreet',
  0x26: 'HomeFaxNumber',
  0x27: 'HomePhoneNumber',
  0x28: 'JobTitle',
  0x29: 'LastName',
  0x2a: 'MiddleName',
  0x2b: 'MobilePhoneNumber',
  0x2c: 'OfficeLocation',
  0x2d: 'OtherAddressCity',
  0x2e: 'OtherAddressCountry',
  0x2f: 'OtherAddressPostalCode',
  0x30: 'OtherAddressState',
  0x31: 'OtherAddressStreet',
  0x32: 'PagerNumber',
  0x33: 'RadioPhoneNumber',
  0x34: 'Spouse',
  0x35: 'Suffix',
  0x36: 'Title',
  0x37: 'WebPage',
  0x38: 'YomiCompanyName',
  0x39: 'YomiFirstName',
  0x3a: 'YomiLastName',
  0x3c: 'Picture',
  0x3d: 'Alias',
  0x3e: 'WeightedRank'
}

const FOLDER_HIERARCHY: Page = {
  0x07: 'DisplayName',
  0x08: 'ServerId',
  0x09: 'ParentId',
  0x0a: 'Type',
  0x0c: 'Status',
  0x0e: 'Changes',
  0x0f: 'Add',
  0x10: 'Delete',
  0x11: 'Update',
  0x12: 'SyncKey',
  0x13: 'FolderCreate',
  0x14: 'FolderDelete',
  0x15: 'FolderUpdate',
  0x16: 'FolderSync',
  0x17: 'Count'
}

const CONTACTS2: Page = {
  0x05: 'CustomerId',
  0x06: 'GovernmentId',
  0x07: 'IMAddress',
  0x08: 'IMAddress2',
  0x09: 'IMAddress3',
  0x0a: 'ManagerName',
  0x0b: 'CompanyMainPhone',
  0x0c: 'AccountName',
  0x0d: 'NickName',
  0x0e: 'MMS'
}

const SKYPE: Page = { 0x05: 'PropertyBag', 0x06: 'Property', 0x07: 'Name', 0x08: 'Value' }

/** Page number → [namespace, tokens]. Tags are written `Namespace:Name`, e.g. `AirSync:SyncKey`. */
export const CODE_PAGES: ReadonlyMap<number, readonly [string, Page]> = new Map([
  [0x00, ['AirSync', AIRSYNC]],
  [0x01, ['Contacts', CONTACTS]],
  [0x07, ['FolderHierarchy', FOLDER_HIERARCHY]],
  [0x0c, ['Contacts2', CONTACTS2]],
  [0xfe, ['Skype', SKYPE]]
])

const BY_NAME = new Map<string, { page: number; token: number }>()
for (const [page, [ns, tokens]] of CODE_PAGES) {
  for (const [token, name] of Object.entries(tokens)) BY_NAME.set(`${ns}:${name}`, { page, token: Number(token) })
}

export function tokenFor(tag: string): { page: number; token: number } | undefined {
  return BY_NAME.get(tag)
}

/** A tag's name; tokens we have no name for read as `Page<n>:0x<t>` so nothing is lost. */
export function nameFor(page: number, token: number): string {
  const entry = CODE_PAGES.get(page)
  const name = entry?.[1][token]
  if (entry && name) return `${entry[0]}:${name}`
  return `Page${page}:0x${token.toString(16).padStart(2, '0')}`
}
