#include <doctest/doctest.h>

#include "eval.h"
#include "model_build.h"
#include "test_util.h"

using namespace aisle;

TEST_CASE(
    "interaction log: sequential rules, co-purchases and the session index are known answers") {
  InteractionLog log;
  log.add("s2", 0, EventType::kViewItem, 5);  // arrival order does not matter
  log.add("s1", 0, EventType::kViewItem, 1);
  log.add("s1", 1, EventType::kViewItem, 2);
  log.add("s1", 2, EventType::kViewItem, 3);
  log.add("s2", 2, EventType::kViewItem, 6);
  log.add("s2", 0, EventType::kPurchase, 7);
  log.add("s2", 2, EventType::kPurchase, 7);
  ModelInput m;
  log.build(4, ModelOptions{}, &m);
  REQUIRE(m.transitions.size() == 4);
  REQUIRE(m.transitions[0].size() == 2);
  CHECK(m.transitions[0][0].item == 2);
  CHECK(m.transitions[0][0].score == doctest::Approx(1.5));  // 1/2 in s1 + 1/1 in s2
  CHECK(m.transitions[0][1].item == 1);
  CHECK(m.transitions[0][1].score == doctest::Approx(1.0));
  REQUIRE(m.transitions[1].size() == 1);
  CHECK(m.transitions[1][0].item == 2);
  CHECK(m.transitions[2].empty());
  REQUIRE(m.co_purchases[0].size() == 1);
  CHECK(m.co_purchases[0][0].item == 2);
  CHECK(m.co_purchases[0][0].score == doctest::Approx(1.0));
  // Sessions oldest first by their last event (the postings are derived at load:
  // test_snapshot.cpp).
  REQUIRE(m.sessions.size() == 2);
  CHECK(m.sessions[0] == std::vector<uint32_t>{0, 1, 2});
  CHECK(m.sessions[1] == std::vector<uint32_t>{0, 2});
  CHECK(m.sessions_per_item == ModelOptions{}.sessions_per_item);
  CHECK(m.item_session_counts == std::vector<uint32_t>{2, 1, 2, 0});
}

TEST_CASE("interaction log: the window and the session budget are honoured") {
  InteractionLog log;
  for (uint32_t i = 0; i < 5; ++i) log.add("a", i, EventType::kViewItem, i);
  log.add("b", 4, EventType::kViewItem, 100);
  ModelOptions o;
  o.transition_window = 1;
  o.max_sessions = 1;
  ModelInput m;
  log.build(5, o, &m);
  REQUIRE(m.transitions[0].size() == 1);  // only the adjacent item
  CHECK(m.transitions[0][0].item == 1);
  REQUIRE(m.sessions.size() == 1);  // only the most recent session, "b"
  CHECK(m.sessions[0] == std::vector<uint32_t>{4});
  CHECK(m.item_session_counts[0] == 1);  // counted before the index was capped
}

TEST_CASE("eval --baseline: reference methods through the same replay, known answers") {
  // Training sessions A B, A B, B C, B C; predictions after A (-> B), after A B (-> C) and
  // after A (-> Z, unknown). By hand:
  //  pop   (B 4 views, A 2, C 2): [B, C] then [A, C]: ranks 1, 2, miss -> MRR 1/2
  //  sr    (A -> B, B -> C): ranks 1, 1, miss -> 2/3
  //  sknn  after A B: sessions A B sim 1, B C sim 1/2 -> A 2, C 1 (B is current): rank 2 -> 1/2
  //  vsknn after A B: B weighs 1, A 1/2 -> A B sessions 1.5, B C 1 -> A 3, C 2: rank 2 -> 1/2
  EvalOptions o;
  o.k = 5;
  o.baselines = {Baseline::kPop, Baseline::kSr, Baseline::kSknn, Baseline::kVsknn};
  const EvalReport r =
      evaluate(testing::data_path("eval_train.tsv"), testing::data_path("eval_test.tsv"), o);
  REQUIRE(r.baselines.size() == 4);
  const double want[] = {0.5, 2.0 / 3, 0.5, 0.5};
  for (size_t b = 0; b < 4; ++b) {
    CAPTURE(r.baselines[b].method);
    CHECK(r.baselines[b].method == baseline_name(o.baselines[b]));
    CHECK(r.baselines[b].all.predictions == 3);
    CHECK(r.baselines[b].test_sessions == 2);
    CHECK(r.baselines[b].all.mrr == doctest::Approx(want[b]));
    CHECK(r.baselines[b].all.hit_rate == doctest::Approx(2.0 / 3));
  }
  CHECK(r.to_json()["baselines"][3]["method"] == "vsknn");
  Baseline parsed;
  CHECK(parse_baseline("vsknn", &parsed));
  CHECK(parsed == Baseline::kVsknn);
  CHECK_FALSE(parse_baseline("gru4rec", &parsed));
}

TEST_CASE("eval --baseline stan, vstan: each decay decides one prediction, known answers") {
  // One scenario a test session (ties between items go to the one the log saw first):
  //  91: after X, Q (X Q ended 10 days after X P): the neighbour's age puts Q before P.
  //  92: after Y, R (T S R Y): the distance to the shared item puts R before S and T.
  //  93: after U (no neighbour holds V): a miss; after U V, L (V L) before K (U K): the
  //      latest item of the session weighs most.
  //  94: after W, N (M W N; M is in two more sessions): a tie with M for STAN; VSTAN's idf
  //      puts the rarer N first.
  //  95, 96: the age's scale, 5 days. X2 P2 (cosine 0.71) ended half a day before, Y2 X2 Q2
  //      (0.58) just now: P2 first, as 0.71 e^-0.1 > 0.58 (a scale under a day would put it
  //      third). X3 P3 ended two days before, Y3 X3 Q3 just now: Y3 first, as
  //      0.71 e^-0.4 < 0.58 (a scale over ten days would put P3 first).
  //  97: a neighbour 600 days old still ranks (its weight e^-120 does not vanish).
  // V-SKNN, for contrast, has none of these.
  EvalOptions o;
  o.k = 5;
  o.baselines = {Baseline::kStan, Baseline::kVstan, Baseline::kVsknn};
  const EvalReport r =
      evaluate(testing::data_path("stan_train.tsv"), testing::data_path("stan_test.tsv"), o);
  REQUIRE(r.baselines.size() == 3);
  const std::vector<std::vector<float>> want = {{1, 1, 0, 1, 0.5f, 1, 1, 1},
                                                {1, 1, 0, 1, 1, 1, 1, 1},
                                                {0.5f, 1.0f / 3, 0, 1, 0.5f, 1, 0.5f, 1}};
  for (size_t b = 0; b < 3; ++b) {
    CAPTURE(r.baselines[b].method);
    REQUIRE(r.baselines[b].reciprocal_ranks.size() == want[b].size());
    for (size_t i = 0; i < want[b].size(); ++i) {
      CAPTURE(i);
      CHECK(r.baselines[b].reciprocal_ranks[i] == doctest::Approx(want[b][i]));
    }
  }
  Baseline parsed;
  CHECK(parse_baseline("vstan", &parsed));
  CHECK(parsed == Baseline::kVstan);
  // A snapshot holds no session times: STAN and VSTAN need the training log.
  CHECK(BaselinePredictor::needs_training_log(Baseline::kStan));
  CHECK_FALSE(BaselinePredictor::needs_training_log(Baseline::kVsknn));
}

TEST_CASE("ranking metrics at a cut-off") {
  const std::vector<uint32_t> list{5, 7, 9};
  CHECK(Ranking::reciprocal_rank(list, 9, 3) == doctest::Approx(1.0 / 3));
  CHECK(Ranking::reciprocal_rank(list, 9, 2) == 0);
  CHECK(Ranking::reciprocal_rank(list, 4, 3) == 0);
  CHECK(Ranking::ndcg(list, 5, 3) == doctest::Approx(1.0));
  CHECK(Ranking::ndcg(list, 9, 3) == doctest::Approx(0.5));
}

TEST_CASE("evaluation protocol on a hand-computed example") {
  // Test rows are out of time order; session 8 has one event (no prediction); session 7
  // ends on an item the training log never saw (a miss that still counts).
  EvalOptions o;
  o.k = 5;
  auto& st = o.engine.strategy[size_t(Placement::kNextItem)];
  st.weight.fill(0);
  st.weight[size_t(Source::kTransitions)] = 1;
  const EvalReport r =
      evaluate(testing::data_path("eval_train.tsv"), testing::data_path("eval_test.tsv"), o);
  CHECK(r.train_events == 8);
  CHECK(r.items == 3);
  CHECK(r.test_sessions == 2);
  CHECK(r.all.predictions == 3);  // after A (-> B), after A B (-> C), after A (-> Z)
  CHECK(r.all.hit_rate == doctest::Approx(2.0 / 3));
  CHECK(r.all.mrr == doctest::Approx(2.0 / 3));
  CHECK(r.all.ndcg == doctest::Approx(2.0 / 3));
  CHECK(r.non_repeat.predictions == 3);
  CHECK(r.coverage > 0);
  CHECK(r.latency_p99_us >= r.latency_p50_us);
}
