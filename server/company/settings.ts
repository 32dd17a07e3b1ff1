import type { Db } from '../db/connection';
import { prepared } from '../employees/repository';

/** A company's settings on the portal. */
export interface CompanySettings {
  /** Only numbers confirmed with a code sent to them may be saved (PATCH and batch answer 422). */
  requireVerifiedPhone: boolean;
}

export function companySettings(db: Db, companyId: string): CompanySettings {
  const row = prepared(db, 'SELECT require_verified_phone FROM companies WHERE id = ?').get(companyId) as
    | { require_verified_phone: number }
    | undefined;
  return { requireVerifiedPhone: row?.require_verified_phone === 1 };
}

export function updateCompanySettings(db: Db, companyId: string, settings: Partial<CompanySettings>): CompanySettings {
  if (settings.requireVerifiedPhone !== undefined) {
    prepared(db, 'UPDATE companies SET require_verified_phone = ? WHERE id = ?').run(Number(settings.requireVerifiedPhone), companyId);
  }
  return companySettings(db, companyId);
}
