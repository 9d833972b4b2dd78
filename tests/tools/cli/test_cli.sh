#!/usr/bin/env bash
# The aisle CLI as a user meets it: help on every subcommand, exit codes (0 ok, 1 a check
# failed, 2 bad usage or bad input, 3 internal error), messages naming file, line and field,
# atomic output, and README's option tables equal to the binary's.
set -u
AISLE=$1
DATA=$2/data
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# pass, fail, expect CODE PATTERN -- command...
source "$(dirname "$0")/../expect.sh"

expect 2 "usage: aisle <command>" -- "$AISLE"
expect 0 "commands:" -- "$AISLE" --help
expect 2 "unknown command 'frobnicate'" -- "$AISLE" frobnicate
for cmd in build inspect demo-data recommend eval qa diff publish report bench; do
  expect 0 "usage: aisle $cmd" -- "$AISLE" "$cmd" --help
  expect 0 "usage: aisle $cmd" -- "$AISLE" help "$cmd"
  expect 0 "^  $cmd +[a-zA-Z]" -- "$AISLE" --help  # the main help lists every command
done
expect 0 "3  internal error" -- "$AISLE" --help
expect 2 "unknown command or option 'frobnicate'" -- "$AISLE" help frobnicate

# One options table per command: its --help, its parser and README's table. Every option
# the table lists is accepted (an option read but not declared fails as an internal error,
# exit 3, wherever a test runs it). The trailing unknown option stops each command before
# it runs.
for cmd in $("$AISLE" help --markdown | sed -n 's/^### aisle //p'); do
  for opt in $("$AISLE" help --markdown "$cmd" | sed -n 's/^| `\(-[-a-z]*\).*/\1/p'); do
    expect 2 "unknown option --no-such-option" -- "$AISLE" "$cmd" "$opt" x --no-such-option
  done
  grep -q "^<!-- aisle $cmd options:" "$2/../README.md" && pass || fail "README.md has no option table for aisle $cmd"
done
cp "$2/../README.md" "$T/README.md"
bash "$2/../tools/scripts/readme_options.sh" "$AISLE" "$T/README.md" >/dev/null
diff -u "$2/../README.md" "$T/README.md" >"$T/readme.diff" && pass ||
  fail "README.md's option tables differ from the binary's: run tools/scripts/readme_options.sh; $(cat "$T/readme.diff")"

# Internal errors are told apart from bad input: out of memory is exit 3, not 2. (ASan
# reserves more address space than the limit allows, so the sanitizer and fuzz builds,
# whose CTest sets AISLE_SANITIZED, skip it.)
if [ -z "${AISLE_SANITIZED:-}" ]; then
  expect 3 "internal error: out of memory.*please report" -- bash -c 'ulimit -v 100000; "$0" demo-data --out "$1" --products 2000000 --sessions 0 --quiet' "$AISLE" "$T/oom"
fi
expect 2 "--catalog is required" -- "$AISLE" build --out "$T/x.snap"
expect 2 "unknown option --bogus" -- "$AISLE" build --bogus
expect 2 "--catalog needs a value" -- "$AISLE" build --out "$T/x.snap" --catalog
expect 2 "--half-life-days must be" -- "$AISLE" build --catalog "$DATA/gmc.csv" --out "$T/x.snap" --half-life-days 0
expect 2 "--now: expected" -- "$AISLE" build --catalog "$DATA/gmc.csv" --out "$T/x.snap" --now soon
expect 2 "missing.csv.*cannot open" -- "$AISLE" build --catalog "$T/missing.csv" --out "$T/x.snap"
expect 2 "unknown catalog format 'xml'" -- "$AISLE" build --catalog "$DATA/gmc.csv" --catalog-format xml --out "$T/x.snap"

# Every option the help documents is accepted (issue 11 bug 1: --max-sessions and
# --sessions-per-item were documented and read but refused as unknown).
expect 0 "2 items" -- "$AISLE" build --catalog "$DATA/gmc.csv" --out "$T/opt.snap" --max-sessions 1000 --sessions-per-item 50
expect 2 "--max-sessions must be" -- "$AISLE" build --catalog "$DATA/gmc.csv" --out "$T/opt.snap" --max-sessions lots

# A good build, then its inspection in both forms.
expect 0 "2 items" -- "$AISLE" build --catalog "$DATA/gmc.csv" --out "$T/good.snap"
expect 0 "bytes/item" -- "$AISLE" inspect "$T/good.snap"
expect 0 '"items": 2' -- "$AISLE" inspect "$T/good.snap" --json
expect 0 '"unknown_items": 1' -- "$AISLE" build --catalog "$DATA/catalog.jsonl" --events "$DATA/events.jsonl" --out "$T/j.snap" --json

# Warnings name file, line and field; --strict makes them fatal and leaves no output.
expect 0 "gmc.tsv:5: field 'id': duplicate id" -- "$AISLE" build --catalog "$DATA/gmc.tsv" --out "$T/w.snap"
cp "$T/good.snap" "$T/keep.snap"
expect 2 "gmc.tsv:7: field 'price'.*--strict" -- "$AISLE" build --strict --catalog "$DATA/gmc.tsv" --out "$T/keep.snap"
cmp -s "$T/good.snap" "$T/keep.snap" && pass || fail "a failed build replaced the previous snapshot"
ls "$T" | grep -q '\.tmp\.' && fail "a failed build left a temporary file" || pass

# Rules errors name the JSON path.
echo '{"field_mapping": {"custom_label_0": "margins"}}' > "$T/rules.json"
expect 2 'rules.json.*\$\.field_mapping\.custom_label_0: unknown target' -- "$AISLE" build --catalog "$DATA/gmc.tsv" --rules "$T/rules.json" --out "$T/r.snap"

# Damaged snapshots are refused with a reason.
head -c 100 "$T/good.snap" > "$T/trunc.snap"
expect 2 "trunc.snap.*truncated" -- "$AISLE" inspect "$T/trunc.snap"
printf 'not a snapshot at all, but long enough to hold a header of sixty-four bytes....' > "$T/junk.snap"
expect 2 "bad magic" -- "$AISLE" inspect "$T/junk.snap"
expect 2 "expected one snapshot file" -- "$AISLE" inspect

# Writing into a directory that does not exist fails cleanly.
expect 2 "no/such/dir/x.snap" -- "$AISLE" build --catalog "$DATA/gmc.csv" --out "$T/no/such/dir/x.snap"

# demo-data: deterministic, with its own argument checks.
expect 0 "demo store in" -- "$AISLE" demo-data --out "$T/demo1" --products 100 --sessions 200
expect 0 "" -- "$AISLE" demo-data --out "$T/demo2" --products 100 --sessions 200 --quiet
cmp -s "$T/demo1/events.jsonl" "$T/demo2/events.jsonl" && pass || fail "demo-data is not deterministic"
expect 2 "--products must be" -- "$AISLE" demo-data --out "$T/demo3" --products 5
expect 0 "" -- "$AISLE" demo-data --out "$T/demo4" --products 100 --sessions 100 --format jsonl --quiet
expect 0 "jsonl" -- "$AISLE" build --catalog "$T/demo4/catalog.jsonl" --events "$T/demo4/events.jsonl" --out "$T/d4.snap"
# The same events in the shape of GA4's BigQuery export build the same snapshot as the flat
# ones, though the sessions are keyed user_pseudo_id/ga_session_id there ("V1/1", not "S1"):
# equal but for the build's time (inspect --json: counts, section sizes, top items),
# every item's popularity and sessions (inspect --public), the product pages'
# recommendations (diff); and the experiment report reads the arms and reasons alike.
expect 2 "--events-shape must be flat or bigquery" -- "$AISLE" demo-data --out "$T/shape" --events-shape nested
# (The count is not fixed: a Clang build generates other events than a GCC one for one seed.)
for shape in flat bigquery; do
  expect 0 "" -- "$AISLE" demo-data --out "$T/$shape" --products 300 --sessions 500 --experiment 0.2 --events-shape "$shape" --quiet
  expect 0 "\(ga4\): [0-9]+ events from" -- "$AISLE" build --catalog "$T/$shape/catalog.tsv" --events "$T/$shape/events.jsonl" --rules "$T/$shape/rules.json" --out "$T/$shape.snap"
  "$AISLE" inspect "$T/$shape.snap" --json | grep -vE '"(file|built_at|seconds)":' >"$T/$shape.inspect"
  "$AISLE" inspect "$T/$shape.snap" --public >"$T/$shape.public"
  "$AISLE" report --events "$T/$shape/events.jsonl" --rules "$T/$shape/rules.json" >"$T/$shape.report"
done
grep -q '^{"event_date":"2026[0-9]*","event_timestamp":"[0-9]*000000","event_name":"aisle_exposure","event_params":\[{"key":"ga_session_id","value":{"string_value":null,"int_value":"1",' "$T/bigquery/events.jsonl" &&
  grep -q '"ecommerce":{"total_item_quantity":"[0-9]*","purchase_revenue_in_usd":[0-9.]*,"purchase_revenue":' "$T/bigquery/events.jsonl" &&
  grep -q '"item_list_index":"0","item_params":\[{"key":"aisle_reason","value":{"string_value":"' "$T/bigquery/events.jsonl" && ! grep -q '"session_id"' "$T/bigquery/events.jsonl" && pass ||
  fail "demo-data --events-shape bigquery does not write the export's shape: $(head -c 600 "$T/bigquery/events.jsonl")"
cmp -s "$T/flat.inspect" "$T/bigquery.inspect" && cmp -s "$T/flat.public" "$T/bigquery.public" && pass ||
  fail "the flat and the bigquery-shaped demo events build different snapshots: $(diff "$T/flat.inspect" "$T/bigquery.inspect" | head -20; diff "$T/flat.public" "$T/bigquery.public" | head -20)"
expect 0 "added: 0 +removed: 0 +price_changes: 0 +availability_changes: 0 +rules: unchanged .* items: mean overlap 1$" -- bash -c '"$0" diff "$1" "$2" --top 1000 | tr "\n" " " | sed "s/ *$//"' "$AISLE" "$T/flat.snap" "$T/bigquery.snap"
grep -q "experiment recs-2026-11: engine vs holdout" "$T/bigquery.report" && cmp -s "$T/flat.report" "$T/bigquery.report" && pass ||
  fail "report reads the bigquery-shaped demo events otherwise: $(diff "$T/flat.report" "$T/bigquery.report" | head -20)"

# recommend: the JSON contract other tools rely on.
"$AISLE" build --catalog "$DATA/catalog.jsonl" --events "$DATA/events.jsonl" --out "$T/r.snap" --quiet
expect 2 "--placement: unknown 'sidebar'" -- "$AISLE" recommend --snapshot "$T/r.snap" --placement sidebar
expect 2 "--item: no item 'NOPE'" -- "$AISLE" recommend --snapshot "$T/r.snap" --placement product --item NOPE
expect 2 "trunc.snap.*truncated" -- "$AISLE" recommend --snapshot "$T/trunc.snap" --placement home
expect 0 '"placement": "product"' -- "$AISLE" recommend --snapshot "$T/r.snap" --placement product --item A1 --json
out=$("$AISLE" recommend --snapshot "$T/r.snap" --placement product --item A1 --session "$DATA/events.jsonl" -k 2 --json)
for key in '"items": \[' '"id": "A2"' '"score":' '"reasons":' '"code": "' '"text": "' '"unknown_items": 1' '"k": 2'; do
  grep -qE "$key" <<<"$out" && pass || fail "recommend --json lacks $key: $out"
done
expect 0 "home: 3 items" -- "$AISLE" recommend --snapshot "$T/r.snap" --placement home
expect 0 "next_item" -- "$AISLE" recommend --snapshot "$T/r.snap" --placement next_item --session - <"$DATA/events.jsonl"

# eval: the protocol's figures as JSON.
expect 0 '"predictions": 3' -- "$AISLE" eval --train "$DATA/eval_train.tsv" --test "$DATA/eval_test.tsv" --json
expect 2 "--param: unknown name 'bogus'" -- "$AISLE" eval --train "$DATA/eval_train.tsv" --test "$DATA/eval_test.tsv" --param bogus=1
expect 2 "--param max_sessions: expects a number from 0 to 1000000000, got '-1'" -- "$AISLE" eval --train "$DATA/eval_train.tsv" --test "$DATA/eval_test.tsv" --param max_sessions=-1
expect 2 "missing.tsv" -- "$AISLE" eval --train "$T/missing.tsv" --test "$DATA/eval_test.tsv"
# eval tunes as build does (this log is too small, and says so); --no-tune and --param do not.
expect 0 "not tuned: too few recent sessions" -- "$AISLE" eval --train "$DATA/eval_train.tsv" --test "$DATA/eval_test.tsv"
for opts in "--no-tune" "--param knn_idf=1"; do
  # shellcheck disable=SC2086
  out=$("$AISLE" eval --train "$DATA/eval_train.tsv" --test "$DATA/eval_test.tsv" $opts)
  [[ $out == *"all targets"* && $out != *tuned* ]] && pass || fail "eval $opts tuned: $out"
done
expect 0 "not tuned: too few" -- "$AISLE" eval --train "$DATA/eval_train.tsv" --test "$DATA/eval_test.tsv" --param knn_idf=1 --tune
expect 2 "at most one of --tune and --no-tune" -- "$AISLE" eval --train "$DATA/eval_train.tsv" --test "$DATA/eval_test.tsv" --tune --no-tune

# GA4's BigQuery export as exported: 120 visitors of two sessions each are 240 sessions.
expect 0 "ga4_bigquery.jsonl \(ga4\): 982 events" -- "$AISLE" build --catalog "$DATA/ga4_bigquery_catalog.jsonl" --events "$DATA/ga4_bigquery.jsonl" --out "$T/bq.snap"
expect 0 '"sessions": 240' -- "$AISLE" inspect --public --json "$T/bq.snap"

# Orders exports as purchase logs: a Shopify order of a mat and a roller is bought together.
expect 0 "shopify_orders.csv \(shopify-orders\): 3 events" -- "$AISLE" build --catalog "$DATA/shopify.csv" --events "$DATA/shopify_orders.csv" --out "$T/orders.snap"
expect 0 "Bought together with Cork Yoga Mat" -- "$AISLE" recommend --snapshot "$T/orders.snap" --placement product --item MAT-R

# Rules: compiled into the snapshot by build, previewed by recommend, checked by qa.
"$AISLE" demo-data --out "$T/store" --products 300 --sessions 1500 --quiet
expect 0 "" -- "$AISLE" build --catalog "$T/store/catalog.tsv" --events "$T/store/events.jsonl" --rules "$T/store/rules.json" --out "$T/store.snap" --quiet
expect 0 "rules " -- "$AISLE" inspect "$T/store.snap"
expect 2 "baseline stan needs the training log's session times" -- "$AISLE" eval --snapshot "$T/store.snap" --test "$DATA/eval_test.tsv" --baseline stan
# What every shopper can read: every item's fields, but no unit cost (the export has
# cost_of_goods_sold) nor stock count; rule names only where the merchant wrote them.
cost=$(awk -F'\t' 'NR == 2 {print $16}' "$T/store/catalog.tsv")
public=$("$AISLE" inspect --public --json "$T/store.snap")
[ -n "$cost" ] && grep -q '"id": "SKU-1-1"' <<<"$public" && grep -q '"margin_tier": "' <<<"$public" &&
  ! grep -qE '"(cost|inventory)": [0-9]' <<<"$public" && pass ||
  fail "inspect --public: items not listed, or a cost or stock count in the public file (catalog cost '$cost')"
expect 0 "What every shopper can read" -- "$AISLE" inspect --public "$T/store.snap"
# A catalog without categories: every item's category is none (it crashed the listing once).
echo '{"id":"X","title":"x","price":20}' >"$T/nocat.jsonl"
"$AISLE" build --catalog "$T/nocat.jsonl" --out "$T/nocat.snap" --quiet
expect 0 '"category": null' -- "$AISLE" inspect --public --json "$T/nocat.snap"
expect 0 "qa: .* passed" -- "$AISLE" qa --snapshot "$T/store.snap" --visits 5
expect 1 "one item takes too many impressions" -- "$AISLE" qa --snapshot "$T/r.snap" --visits 5
echo '{"quotas": [{"match": {"label": "series=core"}, "min_share": 1.5}]}' >"$T/bad_rules.json"
expect 2 'bad_rules.json: \$\.quotas\[0\]\.min_share: expected a number from 0 to 1' -- "$AISLE" qa --snapshot "$T/store.snap" --rules "$T/bad_rules.json"
expect 2 'bad_rules.json: \$\.quotas\[0\]\.min_share' -- "$AISLE" build --catalog "$T/store/catalog.tsv" --rules "$T/bad_rules.json" --out "$T/x.snap"
pinned=$(head -2 "$T/store/catalog.tsv" | tail -1 | cut -f1)
echo "{\"pins\": [{\"item\": \"$pinned\", \"position\": 1}]}" >"$T/pin.json"
out=$("$AISLE" recommend --snapshot "$T/store.snap" --placement home --rules "$T/pin.json" --json)
grep -q "\"code\": \"pinned\"" <<<"$out" && pass || fail "recommend --rules did not apply the pin: $out"
expect 0 "qa: .* passed" -- "$AISLE" qa --snapshot "$T/store.snap" --rules "$T/pin.json" --visits 5
# The rules against the catalog: each mistake by its JSON path, an error failing qa.
brand=$(awk -F'\t' 'NR == 2 {print $10}' "$T/store/catalog.tsv")
echo "{\"pins\": [{\"item\": \"NO-SUCH-SKU\"}], \"boosts\": [{\"match\": {\"brand\": \"${brand}x\"}, \"factor\": 2}]}" >"$T/typo.json"
expect 1 '\$\.pins\[0\]\.item: pins .NO-SUCH-SKU., which is not in the catalog' -- "$AISLE" qa --snapshot "$T/store.snap" --rules "$T/typo.json" --visits 1
expect 1 "\\\$\\.boosts\\[0\\]\\.match: brand '${brand}x' matches 0 items \\(did you mean '$brand'\\?\\)" -- "$AISLE" qa --snapshot "$T/store.snap" --rules "$T/typo.json" --visits 1
# The pinned first item beside a ranked colour of its product: pointed out, not a failure.
expect 0 "warning: a pinned item beside another variant of its product: [0-9]+ time" -- "$AISLE" qa --snapshot "$T/store.snap" --rules "$T/pin.json" --visits 5
# A pin aimed at the pages of its item's category: there, not elsewhere; qa replays it where
# it is aimed, and fails a category the catalog lacks.
leaf=$(awk -F'\t' 'NR == 2 {n = split($11, p, " > "); print p[n]}' "$T/store/catalog.tsv")
same=$(awk -F'\t' -v leaf="$leaf" -v pinned="$pinned" 'NR > 2 && $1 != pinned {n = split($11, p, " > "); if (p[n] == leaf) {print $1; exit}}' "$T/store/catalog.tsv")
other=$(awk -F'\t' -v leaf="$leaf" 'NR > 2 {n = split($11, p, " > "); if (p[n] != leaf) {print $1; exit}}' "$T/store/catalog.tsv")
echo "{\"pins\": [{\"item\": \"$pinned\", \"position\": 1, \"pages\": [\"$leaf\"]}]}" >"$T/aimed.json"
aimed() { "$AISLE" recommend --snapshot "$T/store.snap" --rules "$T/aimed.json" --json "$@"; }
[ -n "$same" ] && [ -n "$other" ] && grep -q '"code": "pinned"' <<<"$(aimed --placement product --item "$same")" &&
  ! grep -q '"code": "pinned"' <<<"$(aimed --placement product --item "$other")" &&
  ! grep -q '"code": "pinned"' <<<"$(aimed --placement home)" && pass ||
  fail "recommend --rules: the pin aimed at $leaf pages ($same) and nowhere else ($other, home)"
expect 0 "qa: .* passed" -- "$AISLE" qa --snapshot "$T/store.snap" --rules "$T/aimed.json" --visits 5
sed "s/\"pages\": \[\"$leaf\"\]/\"pages\": [\"${leaf}x\"]/" "$T/aimed.json" >"$T/aimed-typo.json"
expect 1 "\\\$\\.pins\\[0\\]\\.pages\\[0\\]: category '${leaf}x' is no category of the catalog \\(did you mean '$leaf'\\?\\)" -- "$AISLE" qa --snapshot "$T/store.snap" --rules "$T/aimed-typo.json" --visits 1

# diff: what a reviewer approves.
grep -v "^$pinned" "$T/store/catalog.tsv" >"$T/store/catalog2.tsv"
"$AISLE" build --catalog "$T/store/catalog2.tsv" --events "$T/store/events.jsonl" --out "$T/store2.snap" --quiet
expect 0 "removed: 1" -- "$AISLE" diff "$T/store.snap" "$T/store2.snap"
expect 0 '"changed": true' -- "$AISLE" diff "$T/store.snap" "$T/store2.snap" --json
expect 2 "expected two snapshot files" -- "$AISLE" diff "$T/store.snap"
# Rule changes as a diff by JSON path, not both files in full.
sed 's/"min_share": 0.25/"min_share": 0.5/' "$T/store/rules.json" >"$T/store/rules3.json"
"$AISLE" build --catalog "$T/store/catalog.tsv" --events "$T/store/events.jsonl" --rules "$T/store/rules3.json" --out "$T/store3.snap" --quiet --no-tune
out=$("$AISLE" diff "$T/store.snap" "$T/store3.snap")
grep -q '^rules: changed$' <<<"$out" && grep -qx '  - \$\.quotas\[0\]\.min_share: 0\.25' <<<"$out" &&
  grep -qx '  + \$\.quotas\[0\]\.min_share: 0\.5' <<<"$out" && ! grep -q 'before:' <<<"$out" &&
  [ "$(grep -c '^  [+-] \$' <<<"$out")" = 2 ] && pass ||
  fail "diff: the quota's share change, alone, as a - and a + line by its JSON path: $out"
expect 0 '"json_path": "\$\.quotas\[0\]\.min_share"' -- "$AISLE" diff "$T/store.snap" "$T/store3.snap" --json
expect 0 '^  - \$\.quotas: \[' -- "$AISLE" diff "$T/store.snap" "$T/store2.snap"
expect 0 '^rules: unchanged$' -- "$AISLE" diff "$T/store3.snap" "$T/store3.snap"
# A rule appended to a list: its index, not the JSON Patch's "-".
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); r.quotas.push({match: {brand: "Acme"}, min_share: 0.25}); console.log(JSON.stringify(r))' "$T/store/rules3.json" >"$T/store/rules4.json"
"$AISLE" build --catalog "$T/store/catalog.tsv" --events "$T/store/events.jsonl" --rules "$T/store/rules4.json" --out "$T/store4.snap" --quiet --no-tune
quotas=$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).quotas.length' "$T/store/rules3.json")
expect 0 "^  [+] [\$][.]quotas[[]$quotas[]]: [{]" -- "$AISLE" diff "$T/store3.snap" "$T/store4.snap"

# Margin and stock ranges: evaluated by the build against the catalog's costs (the demo's
# cost_of_goods_sold) into labels; a snapshot answers only the ranges its build evaluated.
echo "{\"boosts\": [{\"name\": \"Margin push\", \"match\": {\"all\": [{\"margin\": {\"min\": 10}}, {\"not\": {\"promo\": true}}]}, \"factor\": 1.5}],
 \"pins\": [{\"item\": \"$pinned\", \"position\": 1, \"reason\": \"Staff pick\"}]}" >"$T/margin.json"
expect 0 "" -- "$AISLE" build --catalog "$T/store/catalog.tsv" --events "$T/store/events.jsonl" --rules "$T/margin.json" --out "$T/margin.snap" --quiet --no-tune
expect 0 '"text": "Staff pick"' -- "$AISLE" recommend --snapshot "$T/margin.snap" --placement home --json
expect 0 "" -- "$AISLE" recommend --snapshot "$T/margin.snap" --rules "$T/margin.json" --placement home
sed 's/"min": 10/"min": 12.5/' "$T/margin.json" >"$T/margin2.json"
expect 2 'margin2.json: \$\.boosts\[0\]\.match\.all\[0\]\.margin: matches by margin are evaluated at build time.*aisle build --rules' -- "$AISLE" qa --snapshot "$T/margin.snap" --rules "$T/margin2.json" --visits 1
expect 2 '\$\.boosts\[0\]\.match\.all\[0\]\.margin: matches by margin are evaluated at build time' -- "$AISLE" recommend --snapshot "$T/margin.snap" --rules "$T/margin2.json" --placement home
echo '{"exclusions": [{"stock": {"max": 0}}]}' >"$T/stock.json"
expect 2 "\\\$\\.exclusions\\[0\\]\\.stock: no item of the catalog has a stock count: a stock range needs a stock column \\(Shopify's Variant Inventory Qty" -- "$AISLE" build --catalog "$T/store/catalog.tsv" --rules "$T/stock.json" --out "$T/stock.snap" --quiet
"$AISLE" publish --snapshot "$T/margin.snap" --out "$T/margin-site" --quiet >/dev/null &&
  grep -aq '~margin=10\.\.' "$T/margin.snap" && ! grep -aqE '~margin|"margin"' "$T/margin-site/snap/"*.snap && pass ||
  fail "publish: the margin range's label or match reached the published snapshot"
# qa validates each new kind at its JSON path.
for bad in '{"boosts": [{"match": {"margin": {"min": 5, "max": 1}}, "factor": 2}]}|\$\.boosts\[0\]\.match\.margin\.max: must not be below min' \
  '{"exclusions": [{"stock": {"min": -1}}]}|\$\.exclusions\[0\]\.stock\.min: expected a number from 0 to' \
  '{"exclusions": [{"stock": {"min": "1"}}]}|\$\.exclusions\[0\]\.stock\.min: expected a number from 0 to' \
  '{"exclusions": [{"stock": {"max": 1.5}}]}|\$\.exclusions\[0\]\.stock\.max: expected a whole number' \
  '{"pins": [{"item": "X", "reason": ""}]}|\$\.pins\[0\]\.reason: expected a non-empty string'; do
  echo "${bad%%|*}" >"$T/bad-range.json"
  expect 2 "${bad#*|}" -- "$AISLE" qa --snapshot "$T/margin.snap" --rules "$T/bad-range.json"
done

# publish: the content-addressed snapshot, every page's list in the file its key's hash
# names, the manifest last; bad input is exit 2 naming the file.
expect 0 "published $T/site: build [0-9a-f]{16}, [0-9]+ lists" -- "$AISLE" publish --snapshot "$T/store.snap" --out "$T/site"
build=$(sed -n 's/.*"build":"\([0-9a-f]*\)".*/\1/p' "$T/site/manifest.json")
files=$(sed -n 's/.*"files":\([0-9]*\).*/\1/p' "$T/site/manifest.json")
"$AISLE" inspect --public "$T/site/snap/$build.snap" >"$T/public.txt" && [ -n "$files" ] &&
  [ "$(ls "$T/site/lists/$build" | wc -l)" = "$files" ] && grep -q '"lists":{"home":' "$T/site/lists/$build/"*.json &&
  pass || fail "publish: no snapshot, or not $files list files, or no home list under $T/site ($(ls -R "$T/site"))"
out=$("$AISLE" publish --snapshot "$T/store.snap" --out "$T/site" --lists-per-file 1 --limits home=8,product=6 --json --quiet)
keys=$(sed -n 's/ *"keys": \([0-9]*\),/\1/p' <<<"$out")
[ -n "$keys" ] && grep -q "\"files\": $keys," <<<"$out" && pass || fail "publish --lists-per-file 1: not a file a list: $out"
# The published snapshot is the public cut: the rules' names and the margin tiers stay home.
grep -aq "Core series" "$T/store.snap" && grep -aq "margin_tier" "$T/store.snap" &&
  ! grep -aqE "Core series|custom_label_0|series=core" "$T/site/snap/$build.snap" &&
  grep -q '"name":"quota 1"' "$T/public.txt" && pass ||
  fail "publish: the published snapshot holds the merchant's names or tiers"
expect 0 "left out of the public snapshot: 0 excluded items" -- "$AISLE" publish --snapshot "$T/store.snap" --out "$T/site-text"
expect 2 "--snapshot is required" -- "$AISLE" publish --out "$T/site"
expect 2 "trunc.snap.*truncated" -- "$AISLE" publish --snapshot "$T/trunc.snap" --out "$T/site2"
grep -q '"limits":{"home":8,"product":6,"category":4}' "$T/site/manifest.json" && pass || fail "publish --limits: $(cat "$T/site/manifest.json")"
expect 2 "--limits: 'product=0'" -- "$AISLE" publish --snapshot "$T/store.snap" --out "$T/site" --limits product=0
expect 2 "--limits: 'cart'" -- "$AISLE" publish --snapshot "$T/store.snap" --out "$T/site" --limits cart=4

# report: KPIs and a simulated experiment, as text, JSON and one HTML file.
expect 2 "--events is required" -- "$AISLE" report
expect 2 "missing.jsonl.*cannot open" -- "$AISLE" report --events "$T/missing.jsonl"
expect 2 "--from: expected a time" -- "$AISLE" report --events "$T/store/events.jsonl" --from someday
expect 2 "--min-effect" -- "$AISLE" report --events "$T/store/events.jsonl" --min-effect -1
"$AISLE" demo-data --out "$T/ab" --sessions 4000 --experiment 0.2 --quiet
# Analytics carries the arms' ids; with the rules, the report names them.
expect 0 "experiment x45100917: x3dacd07f vs holdout" -- "$AISLE" report --events "$T/ab/events.jsonl" --html "$T/ab/report.html"
expect 0 "experiment recs-2026-11: engine vs holdout" -- "$AISLE" report --events "$T/ab/events.jsonl" --rules "$T/ab/rules.json"
grep -q "<svg" "$T/ab/report.html" && ! grep -qE "(src|href)=\"https?:" "$T/ab/report.html" && pass ||
  fail "the HTML report is not self-contained with inline charts"
expect 0 '"control": "holdout"' -- "$AISLE" report --events "$T/ab/events.jsonl" --json
sed 's/"minimum_effect": 0.05/"minimum_effect": 0.5/' "$T/ab/rules.json" >"$T/ab/rules-big.json"
expect 0 '"minimum_effect": 0.5' -- "$AISLE" report --events "$T/ab/events.jsonl" --rules "$T/ab/rules-big.json" --json
echo '{"experiments": 3}' >"$T/ab/bad-rules.json"
expect 2 'bad-rules.json.*\$.experiments: expected a list' -- "$AISLE" report --events "$T/ab/events.jsonl" --rules "$T/ab/bad-rules.json"
# The money first, the suggestions after; the weekly digest for email, as text and HTML.
expect 0 "money: recs-2026-11: engine vs holdout earned" -- "$AISLE" report --events "$T/ab/events.jsonl" --rules "$T/ab/rules.json"
# 4,000 simulated sessions cannot tell +20% revenue from noise: the money line says so.
expect 0 "the revenue interval holds 0: not yet told apart from no effect" -- "$AISLE" report --events "$T/ab/events.jsonl" --rules "$T/ab/rules.json" --html "$T/ab/small.html"
grep -q "not yet told apart from no effect, keep the holdout running" "$T/ab/small.html" && pass ||
  fail "the HTML money tile does not say its interval holds 0"
expect 0 "suggestion 1: " -- "$AISLE" report --events "$T/ab/events.jsonl" --rules "$T/ab/rules.json" --catalog "$T/ab/catalog.tsv"
expect 0 "The one KPI, revenue per session" -- "$AISLE" report --weekly --events "$T/ab/events.jsonl" --rules "$T/ab/rules.json" --html "$T/ab/digest.html"
grep -q "This week's actions" "$T/ab/digest.html" && ! grep -qE "<(script|img|svg)" "$T/ab/digest.html" && pass ||
  fail "the weekly HTML digest has no actions, or has scripts or images a mail client strips"
expect 2 "missing.tsv.*cannot open" -- "$AISLE" report --events "$T/ab/events.jsonl" --catalog "$T/missing.tsv"
expect 2 "--experiment: expected" -- "$AISLE" demo-data --out "$T/ab2" --experiment much

# Hostile and messy input (issue 12; security block): bounded, reported, never a crash or a
# half-replaced snapshot.
H=$T/hostile
mkdir -p "$H"
printf 'id\ttitle\tprice\tbrand\nA\tMat\t10 USD\t\033[2J\033]0;pwned\007Evil\nB\tBlock\t1\377 USD\tAcme\nC\tRoller \376\t5 USD\tAcme\n' >"$H/cat"$'\377'".tsv"
"$AISLE" build --catalog "$DATA/gmc.tsv" --out "$H/store.snap" --quiet
out=$("$AISLE" build --catalog "$H/cat"$'\377'".tsv" --out "$H/store.snap" --json 2>&1)
rc=$?
[ "$rc" = 0 ] && grep -q '"bytes_per_item"' <<<"$out" && ! grep -q $'\033' <<<"$out" && pass ||
  fail "build --json with invalid UTF-8 and escapes in the catalog: exit $rc: $out"
out=$("$AISLE" build --catalog "$H/cat"$'\377'".tsv" --out "$H/store.snap" 2>&1)
grep -q 'invalid UTF-8 replaced' <<<"$out" && grep -q 'control characters replaced' <<<"$out" &&
  ! grep -q $'\033' <<<"$out" && pass || fail "build echoed raw escapes or did not report repairs: $out"
out=$("$AISLE" recommend --snapshot "$H/store.snap" --placement home 2>&1)
! grep -q $'\033' <<<"$out" && pass || fail "recommend echoed a raw escape sequence"
printf 'id\ttitle\tprice\rA\tMat\t10 USD\rB\tBlock\t5 USD\r' >"$H/mac.tsv"
expect 0 '2 items' -- "$AISLE" build --catalog "$H/mac.tsv" --out "$H/mac.snap"
{ printf 'id\ttitle\tprice\nA\t"Broken\t10 USD\n'; for i in $(seq 1 50); do printf 'B%s\tMat\t5 USD\n' "$i"; done; } >"$H/quote.tsv"
expect 2 'quote.tsv:2: field .title.*unbalanced quote' -- "$AISLE" build --catalog "$H/quote.tsv" --out "$H/q.snap"
# Over `ulimit -f` the write fails cleanly (SIGXFSZ killed it, leaving the temporary file).
mkdir -p "$H/small"
out=$(ulimit -f 1; "$AISLE" build --catalog "$DATA/gmc.tsv" --events "$DATA/events.jsonl" --out "$H/small/s.snap" --quiet 2>&1)
rc=$?
[ "$rc" = 2 ] && [ -z "$(ls -A "$H/small")" ] && pass ||
  fail "ulimit -f: exit $rc, left $(ls "$H/small"): $out"

echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
