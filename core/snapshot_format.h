// The on-disk layout of an aisle snapshot (format 2; format 1 files still load). See
// docs/snapshot-format.md.
//
// Little-endian throughout. A 64-byte header, a table of 24-byte section entries, then
// the sections, each starting at an 8-byte aligned offset. Records are read with memcpy
// at a stride given by the section table, so later minor versions may append fields to a
// record or add sections, and older readers of the same major keep working (append-only
// evolution). A major version is one that older readers cannot read: 2.0 replaced the
// required string offsets with the strings' lengths.
#pragma once

#include <cstdint>

namespace aisle {
namespace fmt {

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "aisle snapshots are read in place and require a little-endian target"
#endif

constexpr char kMagic[4] = {'A', 'I', 'S', 'L'};
constexpr char kFileIdentifier[4] = {'S', 'N', 'A', 'P'};
constexpr uint16_t kVersionMajor = 2;        // what the writer writes; a newer major is refused
constexpr uint16_t kVersionMinor = 1;        // newer minors only append
constexpr uint16_t kOldestVersionMajor = 1;  // 1.0 to 1.3 files still load
constexpr uint16_t kLastVersion1Minor = 3;
constexpr uint32_t kAlignment = 8;
constexpr uint32_t kNone = 0xFFFFFFFFu;  // "no category / group / sale price / cost"
// Millisecond timestamps (MetaRecord, profiles) lie in [0, kMaxTimeMs]: up to the end of
// year 9999, what parse_time_ms accepts, so arithmetic on them never overflows.
constexpr int64_t kMaxTimeMs = 253402300800000;

struct Header {
  char magic[4];
  char file_identifier[4];
  uint16_t version_major;
  uint16_t version_minor;
  uint32_t header_size;  // sizeof(Header) for this version
  uint64_t file_size;    // exact; trailing bytes are rejected
  uint32_t section_count;
  uint32_t section_table_offset;
  uint32_t checksum;  // CRC-32 of the whole file with this field taken as zero
  uint32_t flags;     // must be zero in version 1
  uint8_t reserved[24];
};
static_assert(sizeof(Header) == 64, "header layout");
constexpr uint32_t kChecksumOffset = 32;

struct SectionEntry {
  uint32_t id;
  uint32_t elem_size;  // record stride; the section size is a multiple of it
  uint64_t offset;
  uint64_t size;
};
static_assert(sizeof(SectionEntry) == 24, "section entry layout");

enum SectionId : uint32_t {
  kStringOffsets = 1,  // u32[n_strings + 1]; string 0 is ""
  kStringData = 2,     // UTF-8 bytes (elem_size 1)
  kItems = 3,          // ItemRecord[n_items]
  kCategories = 4,     // CategoryRecord[n_categories]; parent index < own index
  kGroups = 5,         // GroupRecord[n_groups]
  kGroupMembers = 6,   // u32 item indices, contiguous per group
  kLabelOffsets = 7,   // u32[n_items + 1] into kLabelIds
  kLabelIds = 8,       // u32 string indices ("key=value")
  kHintOffsets = 9,    // u32[n_items + 1] into kHints
  kHints = 10,         // HintRecord
  kPopularity = 11,    // PopularityRecord[n_items]
  kIdIndex = 12,       // u32[n_items]: item indices sorted by id bytes, strictly increasing
  kMeta = 13,          // MetaRecord[1]
  // Format 1.1: the engine's candidate sources, all optional (a 1.0 file has none; the
  // engine then recommends from popularity). Each "CSR" is an offsets section of
  // u32[rows + 1] and a values section.
  kTransitionOffsets = 14,   // per item
  kTransitions = 15,         // ScoredItem: items viewed after it (sequential rules)
  kCoPurchaseOffsets = 16,   // per item
  kCoPurchases = 17,         // ScoredItem: items bought with it
  kSimilarOffsets = 18,      // per item
  kSimilar = 19,             // ScoredItem: content-similar items (since 1.2 computed instead)
  kSessionOffsets = 20,      // per indexed session (oldest first)
  kSessionItems = 21,        // u32 item indices in time order
  kItemSessionOffsets = 22,  // per item
  kItemSessions = 23,        // u32 indexed sessions holding the item, most recent first
  kCategoryTopOffsets = 24,  // per category
  kCategoryTop = 25,         // u32 best items of the category and its descendants, by trend
  kGlobalTop = 26,           // u32 best items by trend
  kNewArrivals = 27,         // u32 recommendable items, newest launch first
  kItemStats = 28,           // ItemStatsRecord per item
  kRules = 29,               // the merchant's rules, as validated JSON text (UTF-8, elem_size 1)
  // What the build found out where the export said nothing (JSON text, elem_size 1; aisle
  // inspect shows it): kinds inferred from the logs, the tuning's held-out accuracy. The
  // merchant's snapshot only, never a public one.
  kBuildNotes = 30,
  kTuning = 31,  // TuningRecord[1]: engine parameters chosen on the store's held-out sessions
  // Format 1.2 writes no kSimilar lists (a reader computes them: core/similar.h, with
  // MetaRecord::similar_length), and the session index without its item postings, which a
  // reader derives at load
  // (each item's most recent MetaRecord::sessions_per_item sessions), so nothing derivable
  // is downloaded. New ids, so a 1.1 reader ignores them and runs without session kNN instead
  // of rejecting the file; a file holds this pair or kSessionOffsets..kItemSessions, not both.
  kSessionIndexOffsets = 32,  // per indexed session (oldest first)
  kSessionIndexItems = 33,    // u32 item indices in time order
  // Format 1.3 writes the scored lists in columns: the items as u32, the scores as one byte
  // each on a logarithmic scale of the meta record (MetaRecord::transition_scale,
  // co_purchase_scale): score = base * 2^(step * byte). New ids again, so a 1.2 reader runs
  // without these sources instead of rejecting the file; a file holds one form of each list.
  kCompactTransitionOffsets = 34,  // per item
  kCompactTransitionItems = 35,    // u32 items viewed after it, best first
  kCompactTransitionScores = 36,   // u8 per entry of kCompactTransitionItems
  kCompactCoPurchaseOffsets = 37,  // per item
  kCompactCoPurchaseItems = 38,    // u32 items bought with it, best first
  kCompactCoPurchaseScores = 39,   // u8 per entry
  // Format 2.0: each string's byte length as an unsigned LEB128 number, in string order
  // (elem_size 1), instead of kStringOffsets (a file holds one of the two); the reader
  // derives the offsets at load. Lengths compress far better than running offsets.
  kStringLengths = 40,
  // Format 2.1: a shard of a snapshot (docs/snapshot-format.md, "Shards"). kShardItems holds
  // a ShardItemRecord per item: its number in the whole snapshot (strictly increasing) and
  // whether its own lists are here; kShardWhole one ShardWholeRecord, the whole snapshot's
  // counts; kShardSessions, when the file holds only some of the whole's indexed sessions, a
  // u32 per session of the file: its number in the whole (strictly increasing). A shard
  // holds kShardItems and kShardWhole. A 2.0 reader reads a shard as a snapshot of its items.
  kShardItems = 41,
  kShardSessions = 42,
  kShardWhole = 43,
};
constexpr uint32_t kLastSection = kShardWhole;

enum ItemFlags : uint8_t { kRecommendable = 1, kPromo = 2 };

struct ItemRecord {
  uint32_t id;  // string indices unless noted
  uint32_t title;
  uint32_t url_prefix;  // url = string(url_prefix) + string(url_suffix)
  uint32_t url_suffix;
  uint32_t image_prefix;
  uint32_t image_suffix;
  uint32_t brand;
  uint32_t currency;
  uint32_t category;    // leaf category index or kNone
  uint32_t group;       // group index or kNone
  uint32_t price;       // hundredths of the currency unit
  uint32_t sale_price;  // kNone: no sale price
  uint32_t sale_start;  // epoch seconds; 0: open
  uint32_t sale_end;    // epoch seconds; 0: open
  uint32_t cost;        // kNone: unknown
  uint32_t launch;      // epoch seconds; 0: unknown
  int32_t inventory;    // -1: unknown
  uint32_t margin_tier;
  uint16_t repurchase_days;
  uint8_t availability;  // Availability
  uint8_t kind;          // ItemKind
  uint8_t flags;         // ItemFlags
  uint8_t reserved[3];
};
static_assert(sizeof(ItemRecord) == 80, "item record layout");

struct CategoryRecord {
  uint32_t name;
  uint32_t parent;  // kNone for a root
};

struct GroupRecord {
  uint32_t key;
  uint32_t first;  // into kGroupMembers
  uint32_t count;
};

struct HintRecord {
  uint32_t item;
  uint32_t kind;  // HintKind
};

struct PopularityRecord {
  uint32_t views;
  uint32_t carts;
  uint32_t purchases;  // units bought
  float trend;         // time-decayed interactions as of MetaRecord::as_of_ms
};

struct ScoredItemRecord {
  uint32_t item;
  float score;  // finite, > 0
};

// The parameters aisle build chose on the store's own most recent sessions (docs/algorithms.md,
// "Self-tuning"); the engine applies them over its defaults.
struct TuningRecord {
  float knn_idf;             // session kNN: exponent of the inverse session frequency, 0-8
  float knn_position_decay;  // session kNN: distance decay, 0 (off) or 0.5-100
  float next_context_decay;  // next_item: weight of the r-th most recent item, decay^r, 0-1
  float next_history;        // next_item blend weights, 0-10: viewed_before,
  float next_neighbors;      // similar_sessions,
  float next_transitions;    // viewed_after
};
static_assert(sizeof(TuningRecord) == 24, "tuning record layout");

// What of an item's own lists a shard holds: all of them (transitions, co-purchases,
// content-similar items, hints), or the co-purchases and hints alone (what completing a set
// of its variants reads).
enum ShardItemFlags : uint32_t { kShardSetLists = 2, kShardLists = 1 | kShardSetLists };

struct ShardItemRecord {
  uint32_t global;  // the item's index in the whole snapshot
  uint32_t flags;   // 0, kShardSetLists or kShardLists
};
static_assert(sizeof(ShardItemRecord) == 8, "shard item record layout");

struct ShardWholeRecord {
  uint32_t items;     // in the whole snapshot
  uint32_t sessions;  // indexed sessions in the whole snapshot
};
static_assert(sizeof(ShardWholeRecord) == 8, "shard whole record layout");

struct ItemStatsRecord {
  uint32_t sessions;  // training sessions that hold the item (before the index was capped)
  uint32_t reserved;
};

// A compact list's byte b stands for the score base * 2^(step * b): finite and positive for
// every byte (base > 0; step 0, 1/32, 1/16, 1/8, 1/4 or 1/2), non-increasing bytes for a
// best-first list. The writer's base is a power of two (core/snapshot_writer.cpp).
struct ScoreScale {
  float base;
  float step;
};

struct MetaRecord {
  int64_t built_at_ms;
  int64_t as_of_ms;  // reference time of the trend; 0: no events
  uint64_t events_read;
  uint64_t events_used;
  uint32_t trend_half_life_s;
  uint32_t catalog_format;  // string index, e.g. "shopify"
  // Format 1.2 (a 40-byte record reads them as 0): postings per item of a kSessionIndexItems
  // index, 1 or more there; and the length of the content-similar lists a reader computes
  // (core/similar.h) where the file has no kSimilar section, 0 for none.
  uint32_t sessions_per_item;
  uint32_t similar_length;
  // Format 1.3 (0 in a shorter record): the byte scores' scales of the compact lists.
  ScoreScale transition_scale;
  ScoreScale co_purchase_scale;
};
static_assert(sizeof(MetaRecord) == 64, "meta record layout");
constexpr uint32_t kMetaRecordV1Size = 40;  // format 1.0 and 1.1

}  // namespace fmt
}  // namespace aisle
