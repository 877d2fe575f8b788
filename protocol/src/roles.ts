/**
 * The API's user roles (DESIGN.md users): field units, technical investigators, case officers and
 * administrators. The collector's config and HTTP authorisation, and `simhound keys user`, share this list.
 */
export const USER_ROLES = ['field', 'investigator', 'case_officer', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];
