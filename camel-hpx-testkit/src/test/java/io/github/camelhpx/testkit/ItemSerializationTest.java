package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Items of the default library byte for byte. The expected texts were written by the server when it still built
 * a Jackson tree for every item, before items were streamed into replies: they must never change.
 */
class ItemSerializationTest {

    private static final String GALLERY_18 = "{\"id\": 18, \"titles\": [{\"id\": 18, \"name\": \"Broken Library \\u590f\\u796d\\u308a 9\","
            + " \"language\": {\"id\": 4, \"name\": \"Korean\"}}], \"artists\": [{\"id\": 4, \"name\": \"Koyu Kosako\"}],"
            + " \"circles\": [{\"id\": 1, \"name\": \"Tami Circle\"}], \"parodies\": [{\"id\": 1, \"name\": \"Yumiki Chronicles\"}],"
            + " \"category\": {\"id\": 1, \"name\": \"Doujinshi\"}, \"language\": {\"id\": 4, \"name\": \"Korean\"},"
            + " \"status\": {\"id\": 3, \"name\": \"Unreleased\"}, \"grouping_id\": 18, \"number\": 0,"
            + " \"info\": \"Sample gallery 18 of the camel-hpx test library. Broken Library \\u590f\\u796d\\u308a 9.\","
            + " \"pub_date\": 1571031158, \"timestamp\": 1571117558, \"last_read\": null, \"last_updated\": 1571121158,"
            + " \"times_read\": 0, \"rating\": 9, \"page_count\": 21, \"urls\": [{\"id\": 18, \"name\": \"https://example.org/g/18/a7e2913c1e/\"}],"
            + " \"tags\": {\"\": [\"drama\", \"music\"], \"language\": [\"rewrite\"]},"
            + " \"metatags\": {\"favorite\": true, \"inbox\": false, \"readlater\": false, \"trash\": false}}";

    private static final String GALLERY_23 = "{\"id\": 23, \"titles\": [{\"id\": 23, \"name\": \"Silver Harbor \\u00c9t\\u00e9 10\","
            + " \"language\": {\"id\": 5, \"name\": \"French\"}}], \"artists\": [{\"id\": 6, \"name\": \"Risa Rorane\"},"
            + " {\"id\": 4, \"name\": \"Koyu Kosako\"}], \"circles\": [{\"id\": 2, \"name\": \"Neri Circle\"}],"
            + " \"parodies\": [{\"id\": 1, \"name\": \"Yumiki Chronicles\"}], \"category\": {\"id\": 5, \"name\": \"Western\"},"
            + " \"language\": {\"id\": 5, \"name\": \"French\"}, \"status\": {\"id\": 3, \"name\": \"Unreleased\"},"
            + " \"grouping_id\": 23, \"number\": 0, \"info\": \"Sample gallery 23 of the camel-hpx test library. Silver Harbor \\u00c9t\\u00e9 10.\","
            + " \"pub_date\": 1440371297, \"timestamp\": 1440457697, \"last_read\": 1446260966, \"last_updated\": 1440461297,"
            + " \"times_read\": 25, \"rating\": 10, \"page_count\": 44, \"urls\": [{\"id\": 23, \"name\": \"https://example.org/g/23/99655f630a/\"}],"
            + " \"tags\": {\"female\": [\"ponytail\"], \"male\": [\"glasses\"], \"misc\": [\"full color\"]},"
            + " \"metatags\": {\"favorite\": true, \"inbox\": false, \"readlater\": false, \"trash\": false}}";

    @RegisterExtension
    static HpxTestServerExtension hpx = HpxTestServerExtension.create();

    private static String dataText(String callJson, String fname) {
        try (RawClient c = RawClient.guest(hpx.server())) {
            c.writeJson("{\"session\": \"" + c.session() + "\", \"name\": \"t\", \"data\": [" + callJson + "]}");
            String text = c.readText();
            String prefix = "{\"session\": \"" + c.session() + "\", \"name\": \"" + hpx.server().serverName()
                    + "\", \"data\": [{\"fname\": \"" + fname + "\", \"data\": ";
            assertThat(text).startsWith(prefix).endsWith("}]}");
            return text.substring(prefix.length(), text.length() - 3);
        }
    }

    @Test
    void galleriesOfGetItems() {
        assertThat(dataText("{\"fname\": \"get_items\", \"limit\": 1, \"offset\": 17}", "get_items"))
                .isEqualTo("[" + GALLERY_18 + "]");
        assertThat(dataText("{\"fname\": \"search_items\", \"search_query\": \"harbor \\u00c9t\", \"limit\": 1}", "search_items"))
                .isEqualTo("[" + GALLERY_23 + "]");
    }

    @Test
    void aGalleryOfGetItem() {
        assertThat(dataText("{\"fname\": \"get_item\", \"item_id\": 23}", "get_item")).isEqualTo(GALLERY_23);
    }

    @Test
    void otherItemTypes() {
        assertThat(dataText("{\"fname\": \"get_items\", \"item_type\": \"Page\", \"limit\": 2, \"offset\": 25}", "get_items"))
                .isEqualTo("[{\"id\": 26, \"name\": \"026.jpg\", \"number\": 26, \"gallery_id\": 1, \"in_archive\": false, \"hash\": \"61de652e60723d83\"},"
                        + " {\"id\": 27, \"name\": \"001.jpg\", \"number\": 1, \"gallery_id\": 2, \"in_archive\": false, \"hash\": \"316fec5eba52217b\"}]");
        assertThat(dataText("{\"fname\": \"get_items\", \"item_type\": \"Collection\", \"limit\": 1, \"offset\": 1}", "get_items"))
                .isEqualTo("[{\"id\": 2, \"name\": \"Mosuto Collection\", \"info\": \"Galleries 11 to 20\", \"pub_date\": 1520314760,"
                        + " \"timestamp\": 1450490376}]");
        assertThat(dataText("{\"fname\": \"get_item\", \"item_type\": \"Artist\", \"item_id\": 3}", "get_item"))
                .isEqualTo("{\"id\": 3, \"name\": \"Kana Momita\"}");
    }

    @Test
    void everyItemStreamedIsTheItemsTree() {
        SampleLibrary lib = hpx.server().library();
        for (ItemType type : ItemType.values()) {
            for (long id = 1; id <= lib.count(type); id++) {
                ByteSink streamed = new ByteSink(1024);
                lib.writeItem(type, id, new PyJsonOutput(new PyJsonWriter(streamed)));
                ByteSink fromTree = new ByteSink(1024);
                new PyJsonWriter(fromTree).node(lib.item(type, id));
                assertThat(text(streamed)).as("%s %d", type, id).isEqualTo(text(fromTree));
            }
        }
    }

    @Test
    void treesKeepTheirNodeTypes() {
        ObjectNode gallery = hpx.server().library().gallery(18);
        assertThat(gallery.get("id").isInt()).isTrue();
        assertThat(gallery.get("pub_date").isLong()).isTrue();
        JsonNode title = gallery.get("titles").get(0);
        assertThat(title.get("id").isLong()).isTrue();
        assertThat(gallery.get("last_read").isNull()).isTrue();
    }

    private static String text(ByteSink sink) {
        return new String(sink.toByteArray(), StandardCharsets.US_ASCII);
    }
}
