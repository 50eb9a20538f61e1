package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Locale;

import static io.github.camelhpx.testkit.Replies.assertFunctionError;
import static io.github.camelhpx.testkit.Replies.assertServerError;
import static io.github.camelhpx.testkit.Replies.result;
import static org.assertj.core.api.Assertions.assertThat;

/** The item functions of §8 over the default sample library (25 galleries). */
class LibraryFunctionsTest {

    @RegisterExtension
    static HpxTestServerExtension hpx = HpxTestServerExtension.create();

    private static JsonNode one(String call, String fname) {
        try (RawClient c = RawClient.guest(hpx.server())) {
            return result(c.callOne(call), 0, fname);
        }
    }

    @Test
    void countsPerItemType() {
        assertThat(one("{\"fname\": \"get_count\"}", "get_count").get("count").asInt()).isEqualTo(25);
        assertThat(one("{\"fname\": \"get_count\", \"item_type\": \"Collection\"}", "get_count").get("count").asInt()).isEqualTo(3);
        assertThat(one("{\"fname\": \"get_count\", \"item_type\": 9}", "get_count").get("count").asInt()).isEqualTo(7);
        assertThat(one("{\"fname\": \"get_tags_count\"}", "get_tags_count").get("count").asInt()).isEqualTo(20);
    }

    @Test
    void getItemsPagesWithLimitAndOffset() {
        assertThat(one("{\"fname\": \"get_items\"}", "get_items")).hasSize(25);
        JsonNode page = one("{\"fname\": \"get_items\", \"limit\": 5, \"offset\": 10}", "get_items");
        assertThat(page).hasSize(5);
        assertThat(page.get(0).get("id").asInt()).isEqualTo(11);
        assertThat(page.get(0).get("titles").get(0).get("name").asText()).isEqualTo(hpx.server().library().title(11));
        assertThat(one("{\"fname\": \"get_items\", \"item_type\": \"artist\", \"limit\": 2}", "get_items").get(1).get("id").asInt())
                .isEqualTo(2);
    }

    @Test
    void getItemReturnsOneOrTheErrorsOfTheRealServer() {
        assertThat(one("{\"fname\": \"get_item\", \"item_id\": 3}", "get_item").get("id").asInt()).isEqualTo(3);
        try (RawClient c = RawClient.guest(hpx.server())) {
            assertFunctionError(c.callOne("{\"fname\": \"get_item\"}"), 0, "get_item", 404, "A valid item id is required, not 0");
            assertFunctionError(c.callOne("{\"fname\": \"get_item\", \"item_id\": 99}"), 0, "get_item", 303,
                    "'Gallery' with id '99' was not found");
            assertFunctionError(c.callOne("{\"fname\": \"get_item\", \"item_type\": 7, \"item_id\": 1000}"), 0, "get_item", 303,
                    "'Artist' with id '1000' was not found");
        }
    }

    // interface/database.py get_item (0.3.0): "if not item_id: raise APIError" comes before ItemType.get(item_type)
    @Test
    void getItemChecksTheIdBeforeTheItemType() {
        try (RawClient c = RawClient.guest(hpx.server())) {
            assertFunctionError(c.callOne("{\"fname\": \"get_item\", \"item_type\": \"nope\"}"), 0, "get_item", 404,
                    "A valid item id is required, not 0");
            assertFunctionError(c.callOne("{\"fname\": \"get_item\", \"item_type\": \"nope\", \"item_id\": null}"), 0,
                    "get_item", 404, "A valid item id is required, not None");
            assertFunctionError(c.callOne("{\"fname\": \"get_item\", \"item_type\": \"nope\", \"item_id\": 3}"), 0,
                    "get_item", 409, "ItemType: enum member doesn't exist ''nope''");
            // enums.ItemType names 12 "Url"; the 303 text shows item_type.name
            assertFunctionError(c.callOne("{\"fname\": \"get_item\", \"item_type\": \"url\", \"item_id\": 100000}"), 0,
                    "get_item", 303, "'Url' with id '100000' was not found");
        }
    }

    // interface/database.py search_items (0.3.0): "model_ids = set(); if full_search: model_ids = ModelFilter().run(...)",
    // then GetModelItems().run(db_model, model_ids, ...), which returns () for an empty id set: no full search, no items
    @Test
    void searchItemsWithoutFullSearchFindsNothing() {
        assertThat(one("{\"fname\": \"search_items\", \"full_search\": false}", "search_items")).isEmpty();
        String word = hpx.server().library().title(1).split(" ")[1];
        assertThat(one("{\"fname\": \"search_items\", \"search_query\": \"" + word + "\", \"full_search\": false}",
                "search_items")).isEmpty();
        assertThat(one("{\"fname\": \"search_items\", \"full_search\": 0}", "search_items")).isEmpty();
        assertThat(one("{\"fname\": \"search_items\", \"full_search\": 1, \"limit\": 3}", "search_items")).hasSize(3);
    }

    // interface/database.py search_items (0.3.0): ItemType.get, then every search_options name must be one of the
    // search config nodes (search_cmd._get_search_options), then Page and GalleryFilter are refused
    @Test
    void searchItemsChecksOptionNamesThenTheItemType() {
        try (RawClient c = RawClient.guest(hpx.server())) {
            assertFunctionError(c.callOne("{\"fname\": \"search_items\", \"search_options\": {\"regex\": false, \"bogus\": 1}}"),
                    0, "search_items", 404, "Invalid search option name 'bogus'");
            assertThat(result(c.callOne("{\"fname\": \"search_items\", \"limit\": 2, \"search_options\": "
                    + "{\"regex\": false, \"case_sensitive\": false, \"match_whole_words\": false, \"match_all_terms\": true, "
                    + "\"descendants\": true}}"), 0, "search_items")).hasSize(2);
            assertFunctionError(c.callOne("{\"fname\": \"search_items\", \"item_type\": 4}"), 0, "search_items", 404,
                    "Unsupported itemtype ItemType.Page");
            assertFunctionError(c.callOne("{\"fname\": \"search_items\", \"item_type\": \"galleryfilter\", "
                    + "\"search_options\": {\"x\": 1}}"), 0, "search_items", 404, "Invalid search option name 'x'");
            assertFunctionError(c.callOne("{\"fname\": \"search_items\", \"item_type\": \"GalleryFilter\"}"), 0,
                    "search_items", 404, "Unsupported itemtype ItemType.GalleryFilter");
            assertFunctionError(c.callOne("{\"fname\": \"search_items\", \"item_type\": 0, \"search_options\": {\"x\": 1}}"),
                    0, "search_items", 409, "ItemType: enum member doesn't exist '0'");
        }
    }

    // interface/helpers.py _sort_helper (0.3.0), run after the full search and before fetching: ItemSort.get(sort_by),
    // else an int is looked up as a sort index of the model, else 409; a sort index 0 makes GetDatabaseSort return
    // its whole dict ("items.get(sort_index) if sort_index else items"), whose .joins then crashes; sort_desc only
    // turns an ordering around, so without sort_by it changes nothing
    @Test
    void searchItemsChecksSortByLikeSortHelper() {
        try (RawClient c = RawClient.guest(hpx.server())) {
            assertFunctionError(c.callOne("{\"fname\": \"search_items\", \"sort_by\": \"nope\", \"full_search\": false}"), 0,
                    "search_items", 409, "ItemSort: enum member or sort index doesn't exist ''nope''");
            assertFunctionError(c.callOne("{\"fname\": \"search_items\", \"sort_by\": 11}"), 0,
                    "search_items", 409, "ItemSort: enum member or sort index doesn't exist '11'");
            assertFunctionError(c.callOne("{\"fname\": \"search_items\", \"sort_by\": 2.5}"), 0,
                    "search_items", 409, "ItemSort: enum member or sort index doesn't exist '2.5'");
            assertServerError(c.callOne("{\"fname\": \"search_items\", \"sort_by\": 0}"), 100,
                    "[100] HappypandaError: An unhandled critical error has occurred: AttributeError");
            for (String ok : new String[] {"2", "\"GalleryTitle\"", "\"gallerytitle\"", "2.0", "true", "20"}) {
                assertThat(result(c.callOne("{\"fname\": \"search_items\", \"limit\": 1, \"sort_by\": " + ok + "}"), 0,
                        "search_items")).as("sort_by %s", ok).hasSize(1);
            }
            JsonNode unsorted = result(c.callOne("{\"fname\": \"search_items\", \"limit\": 1, \"sort_desc\": true}"), 0,
                    "search_items");
            assertThat(unsorted.get(0).get("id").asInt()).isEqualTo(1);
        }
    }

    @Test
    void searchItemsMatchesTitlesCaseInsensitively() {
        String word = hpx.server().library().title(1).split(" ")[1];
        JsonNode hits = one("{\"fname\": \"search_items\", \"search_query\": \"" + word.toUpperCase(Locale.ROOT) + "\"}", "search_items");
        assertThat(hits).isNotEmpty();
        hits.forEach(g -> assertThat(g.get("titles").get(0).get("name").asText().toLowerCase(Locale.ROOT)
                .contains(word.toLowerCase(Locale.ROOT)) || g.get("tags").toString().contains(word.toLowerCase(Locale.ROOT))).isTrue());
        assertThat(one("{\"fname\": \"search_items\", \"limit\": 4}", "search_items")).hasSize(4);
        assertThat(one("{\"fname\": \"search_items\", \"search_query\": \"no such thing\"}", "search_items")).isEmpty();
    }

    // interface/meta.py get_locales reads 0.3.0's translations/ folder: da_dk.{general,ui}.yaml and
    // en_us.{general,gui,tag,ui}.yaml, the name from each <locale>.general.yaml
    @Test
    void localesAreThoseShippedWith030() {
        JsonNode locales = one("{\"fname\": \"get_locales\"}", "get_locales");
        assertThat(locales.toString()).isEqualTo("{\"da_dk\":{\"locale\":\"Dansk (Danmark)\",\"namespaces\":[\"general\",\"ui\"]},"
                + "\"en_us\":{\"locale\":\"English (United States)\",\"namespaces\":[\"general\",\"gui\",\"tag\",\"ui\"]}}");
    }

    // database_cmd.GetModelItems._query: "if offset: q = q.offset(offset)", "if limit: q = q.limit(limit)" on SQLite,
    // where a negative LIMIT means no limit and a negative OFFSET counts as 0: limit 0, null or < 0 gives every item
    @Test
    void getItemsAndSearchItemsTreatLimitZeroOrNegativeAsNoLimit() {
        assertThat(one("{\"fname\": \"get_items\", \"limit\": 0}", "get_items")).hasSize(25);
        assertThat(one("{\"fname\": \"get_items\", \"limit\": null, \"offset\": 20}", "get_items")).hasSize(5);
        assertThat(one("{\"fname\": \"get_items\", \"limit\": -1, \"offset\": -3}", "get_items")).hasSize(25);
        assertThat(one("{\"fname\": \"search_items\", \"limit\": 0, \"offset\": 5}", "search_items")).hasSize(20);
    }

    // a truthy limit/offset reaches SQLAlchemy 1.2's Query.limit/offset, which makes it util.asint(value): int()
    @Test
    void limitAndOffsetGoThroughPythonsInt() {
        assertThat(one("{\"fname\": \"get_items\", \"limit\": \" 3 \"}", "get_items")).hasSize(3);
        assertThat(one("{\"fname\": \"get_items\", \"limit\": \"0\"}", "get_items")).isEmpty();
        assertThat(one("{\"fname\": \"get_items\", \"limit\": 2.7, \"offset\": \"20\"}", "get_items")).hasSize(2);
        assertThat(one("{\"fname\": \"get_items\", \"limit\": true}", "get_items")).hasSize(1);
        try (RawClient c = RawClient.guest(hpx.server())) {
            assertServerError(c.callOne("{\"fname\": \"get_items\", \"limit\": \"x\"}"), 100,
                    "[100] HappypandaError: An unhandled critical error has occurred: ValueError");
            assertServerError(c.callOne("{\"fname\": \"search_items\", \"offset\": [1]}"), 100,
                    "[100] HappypandaError: An unhandled critical error has occurred: TypeError");
        }
    }

    // GetModelItems with more than 900 ids on SQLite filters in Python and pages with fetched_list[offset:][:limit]
    // (after "if not limit: limit = len(fetched_list)"): Python slicing, so negative values count from the end
    @Test
    void searchItemsOverMoreThan900HitsPagesWithPythonSlicing() {
        try (HpxTestServer big = HpxTestServer.builder().library(SampleLibrary.galleries(1000)).build().start();
             RawClient c = RawClient.guest(big)) {
            assertThat(result(c.callOne("{\"fname\": \"search_items\", \"limit\": 0}"), 0, "search_items")).hasSize(1000);
            assertThat(result(c.callOne("{\"fname\": \"search_items\", \"limit\": -1}"), 0, "search_items")).hasSize(999);
            JsonNode tail = result(c.callOne("{\"fname\": \"search_items\", \"offset\": -3}"), 0, "search_items");
            assertThat(tail).hasSize(3);
            assertThat(tail.get(0).get("id").asInt()).isEqualTo(998);
            assertServerError(c.callOne("{\"fname\": \"search_items\", \"limit\": \"3\"}"), 100,
                    "[100] HappypandaError: An unhandled critical error has occurred: TypeError");
            // get_items has no id set: SQL paging, where -1 means no limit
            assertThat(result(c.callOne("{\"fname\": \"get_items\", \"limit\": -1, \"offset\": 990}"), 0, "get_items")).hasSize(10);
        }
    }

    @Test
    void theSampleLibraryIsDeterministic() {
        SampleLibrary a = SampleLibrary.galleries(5000);
        SampleLibrary b = SampleLibrary.galleries(5000);
        assertThat(a.gallery(4321)).isEqualTo(b.gallery(4321));
        assertThat(a.gallery(1)).isNotEqualTo(SampleLibrary.galleries(5000, 7).gallery(1));
        assertThat(a.gallery(5001)).isNull();
        assertThat(a.count(ItemType.Page)).isEqualTo(b.count(ItemType.Page));
        assertThat(SampleLibrary.empty().count(ItemType.Gallery)).isZero();
    }

    @Test
    void aLargeLibraryGivesMegabyteRepliesThroughGetItems() {
        try (HpxTestServer big = HpxTestServer.builder().library(SampleLibrary.galleries(8000)).build().start();
             RawClient c = RawClient.guest(big)) {
            c.writeJson("{\"session\": \"" + c.session() + "\", \"name\": \"t\", \"data\": [{\"fname\": \"get_items\", \"limit\": 8000}]}");
            String text = c.readText();
            assertThat(text.length()).isGreaterThan(5_000_000);
            assertThat(RawClient.parse(text).get("data").get(0).get("data")).hasSize(8000);
        }
    }
}
