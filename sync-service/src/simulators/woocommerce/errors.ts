/**
 * WordPress REST error envelopes, `{code, message, data: {status, ...}}`, shared by every route
 * module of the WooCommerce simulator.
 */
export class WooRestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    /** Extra keys of `data` (resource_id, params, ...). */
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
    /**
     * A WP_Error whose data is a bare number (`new WP_Error(code, msg, 400)`) instead of
     * `['status' => 400]`: WordPress answers HTTP 500 and echoes the number as `data`.
     */
    readonly bareData?: number,
  ) {
    super(message);
    this.name = 'WooRestError';
  }

  toBody(): { code: string; message: string; data: Record<string, unknown> | number } {
    if (this.bareData !== undefined) return { code: this.code, message: this.message, data: this.bareData };
    return { code: this.code, message: this.message, data: { status: this.status, ...this.extra } };
  }
}

export const noRoute = (): WooRestError => new WooRestError('rest_no_route', 'No route was found matching the URL and request method.', 404);

/** WordPress joins enum lists as "a, b, and c" (wp_sprintf %l). */
export function listWithAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  if (items.length === 2) return `${items[0]} and ${items[1]}`;
  return `${items.slice(0, -1).join(', ')}, and ${items[items.length - 1]}`;
}

/** Collects per-parameter problems and throws them as one rest_invalid_param, as WordPress does. */
export class ParamErrors {
  private readonly params: Record<string, string> = {};
  private readonly details: Record<string, { code: string; message: string; data: null }> = {};

  add(param: string, message: string, code = 'rest_invalid_param'): void {
    if (param in this.params) return;
    this.params[param] = message;
    this.details[param] = { code, message, data: null };
  }

  get empty(): boolean {
    return Object.keys(this.params).length === 0;
  }

  throwIfAny(): void {
    if (this.empty) return;
    throw new WooRestError('rest_invalid_param', `Invalid parameter(s): ${Object.keys(this.params).join(', ')}`, 400, {
      params: this.params,
      details: this.details,
    });
  }
}

/** Anonymous requests fail the route's permission check with these (401 when not logged in). */
export type PermissionAction = 'list' | 'view' | 'create' | 'edit' | 'delete' | 'batch';

export function cannot(action: PermissionAction): WooRestError {
  switch (action) {
    case 'list':
      return new WooRestError('woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.', 401);
    case 'view':
      return new WooRestError('woocommerce_rest_cannot_view', 'Sorry, you cannot view this resource.', 401);
    case 'create':
      return new WooRestError('woocommerce_rest_cannot_create', 'Sorry, you are not allowed to create resources.', 401);
    case 'edit':
      return new WooRestError('woocommerce_rest_cannot_edit', 'Sorry, you are not allowed to edit this resource.', 401);
    case 'delete':
      return new WooRestError('woocommerce_rest_cannot_delete', 'Sorry, you are not allowed to delete this resource.', 401);
    case 'batch':
      return new WooRestError('woocommerce_rest_cannot_batch', 'Sorry, you are not allowed to batch manipulate this resource.', 401);
  }
}
