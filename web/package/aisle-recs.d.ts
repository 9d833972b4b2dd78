// Types for the <aisle-recs> element (aisle-recs.js).
import type { ListMode, Placement, RecommendationList } from './engine.js';
import type { aisle } from './aisle.js';

export function safeUrl(url: string): string | null;
/** Defines <aisle-recs>; `guard` wraps every callback the page or the browser can trigger (the loader's counts what they throw). */
export function defineAisleRecs(api: typeof aisle, guard?: <A extends unknown[], R>(fn: (...args: A) => R) => (...args: A) => R | undefined): void;

/** Events the element dispatches (bubbling and composed). */
export interface AisleRecsEventMap {
  /** The list was seen: half of it in view for a second (once per list). */
  'aisle-impression': CustomEvent<{ placement: Placement; listId: string; mode: ListMode; items: string[] }>;
  'aisle-click': CustomEvent<{ placement: Placement; listId: string; item: string; index: number }>;
  'aisle-render': CustomEvent<RecommendationList & { listId: string }>;
}

declare global {
  interface HTMLElementTagNameMap { 'aisle-recs': HTMLElement; }
}
