import type { Queryable } from '../db/store';

/** A company's settings on the portal. */
export interface CompanySettings {
  /** Only numbers confirmed with a code sent to them may be saved (PATCH and batch answer 422). */
  requireVerifiedPhone: boolean;
}

export async function companySettings(db: Queryable, companyId: string): Promise<CompanySettings> {
  const row = await db.get<{ require_verified_phone: number }>('SELECT require_verified_phone FROM companies WHERE id = ?', companyId);
  return { requireVerifiedPhone: row?.require_verified_phone === 1 };
}

export async function updateCompanySettings(db: Queryable, companyId: string, settings: Partial<CompanySettings>): Promise<CompanySettings> {
  if (settings.requireVerifiedPhone !== undefined) {
    await db.run('UPDATE companies SET require_verified_phone = ? WHERE id = ?', Number(settings.requireVerifiedPhone), companyId);
  }
  return companySettings(db, companyId);
}
