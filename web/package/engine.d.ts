// Types for the engine wrapper (engine.js): the wasm engine in JavaScript, and the
// shapes of its events, lists and explanations that the loader and the element share.

export type Placement = 'product' | 'cart' | 'home' | 'post_purchase' | 'category' | 'search_empty' | 'next_item';
export type ListMode = 'standard' | 'focused' | 'compare' | 'bundle' | 'fallback' | 'holdout';

/** A GA4 e-commerce event, as pushed to dataLayer (`ecommerce.items`) or passed to gtag (`items`). */
export interface ShopperEvent {
  event: 'view_item' | 'view_item_list' | 'select_item' | 'add_to_cart' | 'remove_from_cart' | 'begin_checkout'
    | 'purchase' | 'search' | 'view_promotion' | 'select_promotion' | string;
  timestamp?: number | string;
  items?: Array<{ item_id: string | number; [key: string]: unknown }>;
  ecommerce?: { items?: Array<{ item_id: string | number; [key: string]: unknown }>; [key: string]: unknown } | null;
  sort?: string; filter?: string; coupon?: string; search_term?: string; page_type?: string;
  source?: string; medium?: string; referrer?: string;
}

/** `anchor`: the item id behind the reason; `category`: the category name (neither for rules). */
export interface Reason { code: string; text: string; contribution: number; anchor?: string; category?: string; }

export interface RecommendedItem {
  id: string; title: string; url: string; image: string; brand: string; currency: string;
  price: number; sale_price: number | null; availability: string; recommendable: boolean;
  score: number; reasons: Reason[];
  /** In the comparison module (`mode: 'compare'`): the brand and `key=value` labels. */
  attributes?: Record<string, string>;
}

export interface ShopperContext {
  comparing: boolean; decisive: boolean; exploring: boolean; price_sensitive: boolean; gift: boolean;
  bundle_building: boolean; after_premium: boolean; visitor: 'new' | 'returning'; traffic: string;
  compare_category?: string; bundle_group?: string; premium_item?: string;
}

export interface RecommendationList {
  placement: Placement; k: number; mode: ListMode; slots: number; context: ShopperContext; items: RecommendedItem[];
}

export interface Explanation extends Omit<RecommendationList, 'items' | 'k'> {
  id: string; available: boolean; rank: number; score?: number; reasons: Reason[];
}

export interface RecommendOptions {
  item?: string; category?: string; limit?: number;
  /** All `limit` items (the engine's `k`) for a grid of that many: a product page shows no fewer to a neutral or decisive shopper. */
  fill?: boolean;
}

/** Thrown by the engine wrapper (and by the loader's recommend/explain) with a `code`. */
export class AisleError extends Error {
  constructor(code: string, message: string);
  code: string;
}

export interface CatalogItem extends Omit<RecommendedItem, 'score' | 'reasons'> {
  category: string; labels: string[]; launch: number | null; promo: boolean; margin_tier: string;
}
export interface ExperimentArm { experiment: string; variant: string; holdout: boolean; show: 'nothing' | 'best_sellers'; }

/** What createEngine() resolves to: one wasm engine, owned by its caller until dispose(). */
export interface Engine {
  load(bytes: Uint8Array): { ok: true; items: number; checksum: number };
  /** Checks a snapshot or shard without loading it. */
  verify(bytes: Uint8Array): { ok: true; items: number; checksum: number; shard: boolean };
  /** Shards of one snapshot (a head, item shards, an earlier merge) merged into one to load(). */
  merge(parts: Uint8Array[]): Uint8Array;
  readonly itemCount: number;
  readonly memoryBytes: number;
  item(id: string, now?: number): CatalogItem | undefined;
  itemAt(index: number, now?: number): CatalogItem | undefined;
  readonly snapshotRules: string;
  assign(visitorId: string): ExperimentArm[];
  track(event: ShopperEvent): { ok: true; ignored?: boolean; unknown_items: number };
  recommend(options: RecommendOptions & { placement: Placement; k?: number; now?: number }): RecommendationList;
  /** The list as if the shopper had just viewed `options.item`: its product page's list, the visit unchanged. */
  recommendAfterView(options: RecommendOptions & { placement: Placement; k?: number; now?: number }): RecommendationList;
  explain(id: string, options: { placement: Placement; item?: string; category?: string; now?: number }): Explanation;
  endVisit(): void;
  exportProfile(): string;
  importProfile(json: string): void;
  setRules(rules: string | object): void;
  dispose(): void;
}
export function createEngine(options: { moduleUrl: string; wasmBinary?: ArrayBuffer | Uint8Array }): Promise<Engine>;
