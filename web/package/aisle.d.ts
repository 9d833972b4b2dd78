// Types for the aisle storefront loader (aisle.js). The engine wrapper's are in engine.d.ts,
// the element's in aisle-recs.d.ts; tests/web/types checks them against the modules.
import type {
  ExperimentArm, Explanation, Placement, RecommendationList, RecommendedItem, RecommendOptions, ShopperEvent,
} from './engine.js';

export type {
  CatalogItem, ExperimentArm, Explanation, ListMode, Placement, Reason, RecommendationList, RecommendedItem,
  RecommendOptions, ShopperContext, ShopperEvent,
} from './engine.js';
export { AisleError } from './engine.js';

export interface LoaderStats {
  state: 'idle' | 'loading' | 'ready' | 'failed'; error?: string; tracked: number;
  /** Events not for aisle: names it does not track, entries that are no GA4 event. */
  ignored: number;
  /** Exceptions aisle caught: the engine's on an event, and any in its hooks into the page (never thrown into the page's code). */
  errors: number;
  unknownItems: number; resets: number; storageErrors: number; visitEvents: number; memoryBytes: number;
  /** This store's localStorage key: `aisle:v1:` and a hash of its manifest's (or snapshot's) path. */
  storeKey: string;
  /** Whether the visit and profile may be stored (Consent Mode or consent()); false: memory only. */
  consent: boolean;
  storedBytes: number; snapshot: { source: 'network' | 'cache'; checksum: number } | null;
  experiments: ExperimentArm[];
  /** Where the engine runs: its Web Worker, or the page when a policy forbids the worker; null before it starts. */
  thread: 'worker' | 'page' | null;
  /**
   * Which worker: the store's SharedWorker, shared by the shopper's tabs on the same build, or a
   * dedicated one for this tab (no SharedWorker, it failed, or the shopper's consent is denied or
   * was withdrawn on this page); null on the page or before it starts.
   */
  worker: 'shared' | 'dedicated' | null;
  /** The engine was already up in the shared worker (another tab started it): this page loaded nothing. */
  joined: boolean;
  /** Times the shared worker failed to start and a dedicated worker took over. */
  sharedFailures: number;
  /** Lists shown from the published page lists (data-manifest) before the engine's own. */
  pageLists: number;
  /** Lists shown from those the previous page of this tab computed ahead (a product page it listed) before the engine's own. */
  aheadLists: number;
}

/** The package's version; its major is the snapshot format's major (docs/storefront.md, "The npm route"). */
export const VERSION: string;
/** Settings, before start(); URLs (manifest, snapshot, engine, worker, fallback) may be relative to the page. */
export function configure(options: {
  manifest?: string; snapshot?: string; engine?: string; worker?: string; fallback?: string; visitMinutes?: number;
  /** Push the detected shopper context (`aisle_context`) with list events; off by default (docs/measurement.md). */
  shareContext?: boolean;
}): void;
export function start(): Promise<boolean>;
export function ready(): Promise<boolean>;
export function track(event: ShopperEvent): boolean;
export function recommend(placement: Placement, options?: RecommendOptions): Promise<RecommendationList>;
export function recommendNow(placement: Placement, options?: RecommendOptions): RecommendationList | null;
/** Starts reading what a list for this request will need (its published page list), without rendering it. */
export function prepare(placement: Placement, options?: RecommendOptions): void;
export function explain(id: string, options?: RecommendOptions & { placement?: Placement }): Promise<Explanation>;
export function fallback(): Promise<Array<Partial<RecommendedItem>> | null>;
export function endVisit(): void;
export function getStats(): LoaderStats;
export function pushAnalytics(entry: object): void;
/** GA4 parameters naming the visitor's experiment arms. */
export function experimentParams(): { aisle_experiment?: string; aisle_variant?: string };
/** The shopper's consent to keep their visit and profile on this device; false erases what is stored. */
export function consent(granted: boolean): void;
/** Erases everything aisle stored on this device; the page goes on with a new visitor. */
export function forget(): void;
export const aisle: {
  VERSION: string; track: typeof track; recommend: typeof recommend; recommendNow: typeof recommendNow;
  prepare: typeof prepare; explain: typeof explain; start: typeof start; ready: typeof ready; fallback: typeof fallback;
  endVisit: typeof endVisit; configure: typeof configure; stats: typeof getStats; pushAnalytics: typeof pushAnalytics;
  experimentParams: typeof experimentParams; consent: typeof consent; forget: typeof forget;
};

declare global {
  interface Window { aisle: typeof aisle; dataLayer: unknown[]; }
}
