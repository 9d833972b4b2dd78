// Types for the aisle storefront loader (aisle.js), the engine wrapper (engine.js) and
// the <aisle-recs> element (aisle-recs.js).

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

export interface Reason { code: string; text: string; contribution: number; }

export interface RecommendedItem {
  id: string; title: string; url: string; image: string; brand: string; currency: string;
  price: number; salePrice: number | null; availability: string; recommendable: boolean;
  score: number; reasons: Reason[];
}

export interface ShopperContext {
  comparing: boolean; decisive: boolean; exploring: boolean; priceSensitive: boolean; gift: boolean;
  bundleBuilding: boolean; afterPremium: boolean; visitor: 'new' | 'returning'; traffic: string;
}

export interface RecommendationList {
  ok: true; placement: Placement; mode: ListMode; slots: number; context: ShopperContext; items: RecommendedItem[];
}

export interface Explanation extends Omit<RecommendationList, 'items'> {
  id: string; available: boolean; rank: number; score?: number; reasons: Reason[];
}

export interface RecommendOptions { item?: string; category?: string; limit?: number; }

export interface LoaderStats {
  state: 'idle' | 'loading' | 'ready' | 'failed'; error?: string; tracked: number;
  /** Events not for aisle: names it does not track, entries that are no GA4 event. */
  ignored: number;
  /** Exceptions aisle caught: the engine's on an event, and any in its hooks into the page (never thrown into the page's code). */
  errors: number;
  unknownItems: number; resets: number; storageErrors: number; visitEvents: number; memoryBytes: number;
  storedBytes: number; snapshot: { source: 'network' | 'cache'; checksum: number } | null;
  experiments: ExperimentArm[];
}

export class AisleError extends Error { code: string; }
export const VERSION: string;
export function configure(options: { snapshot?: string; engine?: string; fallback?: string; visitMinutes?: number }): void;
export function start(): Promise<boolean>;
export function ready(): Promise<boolean>;
export function track(event: ShopperEvent): boolean;
export function recommend(placement: Placement, options?: RecommendOptions): Promise<RecommendationList>;
export function recommendNow(placement: Placement, options?: RecommendOptions): RecommendationList | null;
export function explain(id: string, options?: RecommendOptions & { placement?: Placement }): Promise<Explanation>;
export function fallback(): Promise<Array<Partial<RecommendedItem>> | null>;
export function endVisit(): void;
export function getStats(): LoaderStats;
export function pushAnalytics(entry: object): void;
/** GA4 parameters naming the visitor's experiment arms. */
export function experimentParams(): { aisle_experiment?: string; aisle_variant?: string };
export const aisle: {
  VERSION: string; track: typeof track; recommend: typeof recommend; recommendNow: typeof recommendNow;
  explain: typeof explain; start: typeof start; ready: typeof ready; fallback: typeof fallback;
  endVisit: typeof endVisit; configure: typeof configure; stats: typeof getStats; pushAnalytics: typeof pushAnalytics;
  experimentParams: typeof experimentParams;
};

export interface CatalogItem extends Omit<RecommendedItem, 'score' | 'reasons'> {
  category: string; labels: string[]; launch: number | null; promo: boolean; marginTier: string;
}
export interface ExperimentArm { experiment: string; variant: string; holdout: boolean; show: 'nothing' | 'best_sellers'; }

/** The engine wrapper (engine.js). */
export interface Engine {
  load(bytes: Uint8Array): { ok: true; items: number; checksum: number };
  readonly itemCount: number;
  readonly memoryBytes: number;
  item(id: string, now?: number): CatalogItem | undefined;
  itemAt(index: number, now?: number): CatalogItem | undefined;
  readonly snapshotRules: string;
  assign(visitorId: string): ExperimentArm[];
  track(event: ShopperEvent): { ok: true; ignored?: boolean; unknownItems?: number };
  recommend(options: RecommendOptions & { placement: Placement; k?: number; now?: number }): RecommendationList;
  explain(id: string, options: { placement: Placement; item?: string; category?: string; now?: number }): Explanation;
  endVisit(): void;
  exportProfile(): string;
  importProfile(json: string): void;
  setRules(rules: string | object): void;
  dispose(): void;
}
export function createEngine(options: { moduleUrl: string; wasmBinary?: ArrayBuffer | Uint8Array }): Promise<Engine>;
export function safeUrl(url: string): string | null;
/** Defines <aisle-recs>; `guard` wraps every callback the page or the browser can trigger (the loader's counts what they throw). */
export function defineAisleRecs(api: typeof aisle, guard?: <A extends unknown[], R>(fn: (...args: A) => R) => (...args: A) => R | undefined): void;

/** Events the element dispatches (bubbling and composed). */
export interface AisleRecsEventMap {
  'aisle-impression': CustomEvent<{ placement: Placement; listId: string; mode: ListMode; items: string[] }>;
  'aisle-click': CustomEvent<{ placement: Placement; listId: string; item: string; index: number }>;
  'aisle-render': CustomEvent<RecommendationList & { listId: string }>;
}

declare global {
  interface HTMLElementTagNameMap { 'aisle-recs': HTMLElement; }
  interface Window { aisle: typeof aisle; dataLayer: unknown[]; }
}
