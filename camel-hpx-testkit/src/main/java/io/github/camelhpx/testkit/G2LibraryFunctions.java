package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The 1.0 item functions over the {@link SampleLibrary}: lists come back as {@code {"count": total, "items":
 * [...]}}, sorted by {@code sort_options: {"by": ItemSort, "desc": bool}} and reduced by {@code fields}.
 */
final class G2LibraryFunctions {

    /** The ItemSort members (1.0 numbering) the sample library can sort by, each as the item value it compares. */
    private static final Map<Integer, Function<JsonNode, Comparable<?>>> SORTS = Map.ofEntries(
            Map.entry(1, item -> Integer.reverse(item.path("id").asInt())),
            Map.entry(2, item -> lower(item.path("titles").path(0).path("name"))),
            Map.entry(3, item -> lower(item.path("artists").path(0).path("name"))),
            Map.entry(4, item -> item.path("timestamp").asLong()),
            Map.entry(5, item -> item.path("pub_date").asLong()),
            Map.entry(6, item -> item.path("last_read").asLong(0)),
            Map.entry(7, item -> item.path("last_updated").asLong()),
            Map.entry(8, item -> item.path("rating").asLong()),
            Map.entry(9, item -> item.path("times_read").asLong()),
            Map.entry(10, item -> item.path("page_count").asLong()),
            Map.entry(11, item -> lower(item.path("circles").path(0).path("name"))),
            Map.entry(51, item -> lower(item.path("name"))),
            Map.entry(100, item -> lower(item.path("name"))));

    private G2LibraryFunctions() {
    }

    static List<FunctionSpec> all() {
        return List.of(
                FunctionSpec.of("get_count").param("item_type", 1).param("metatags", null)
                        .handler(call -> count(call.server().library().count(ItemType.from(call.arg("item_type"))))),
                FunctionSpec.of("get_item").param("item_type", 1).param("item_id", 0).param("fields", null)
                        .param("profile_options", null).handler(G2LibraryFunctions::getItem),
                FunctionSpec.of("get_items").param("item_type", 1).param("fields", null).param("offset", null)
                        .param("limit", 100).param("metatags", null).param("profile_options", null)
                        .param("sort_options", null).handler(G2LibraryFunctions::getItems),
                FunctionSpec.of("search_items").param("item_type", 1).param("search_query", "")
                        .param("search_options", Json.object()).param("sort_options", null).param("fields", null)
                        .param("limit", 100).param("offset", null).param("profile_options", null)
                        .handler(G2LibraryFunctions::searchItems));
    }

    private static ObjectNode count(int n) {
        ObjectNode c = Json.object();
        c.put("count", n);
        return c;
    }

    /** One item, or a list of items when {@code item_id} is a list (as the web client may send). */
    private static Object getItem(FunctionCallContext call) {
        ItemType type = ItemType.from(call.arg("item_type"));
        JsonNode ids = call.arg("item_id");
        if (ids.isArray()) {
            ArrayNode items = Json.array();
            ids.forEach(id -> items.add(G2Fields.project(oneItem(call, type, id), call.arg("fields"))));
            return items;
        }
        return G2Fields.project(oneItem(call, type, ids), call.arg("fields"));
    }

    private static ObjectNode oneItem(FunctionCallContext call, ItemType type, JsonNode idArg) {
        if (!PyFormat.truthy(idArg)) {
            throw new HpxApiError(404, "A valid item id is required, not " + PyFormat.str(idArg));
        }
        ObjectNode item = idArg.isIntegralNumber() && idArg.canConvertToLong()
                ? call.server().library().item(type, idArg.longValue()) : null;
        if (item == null) {
            throw new HpxApiError(303, "'" + type.name() + "' with id '" + PyFormat.str(idArg) + "' was not found");
        }
        return item;
    }

    private static Object getItems(FunctionCallContext call) {
        ItemType type = ItemType.from(call.arg("item_type"));
        List<Long> ids = new ArrayList<>();
        for (long id = 1; id <= call.server().library().count(type); id++) {
            ids.add(id);
        }
        return page(call, type, ids);
    }

    private static Object searchItems(FunctionCallContext call) {
        ItemType type = ItemType.from(call.arg("item_type"));
        SampleLibrary lib = call.server().library();
        JsonNode q = call.arg("search_query");
        String needle = q.isNull() ? "" : PyFormat.str(q).toLowerCase(Locale.ROOT).strip();
        List<Long> hits = new ArrayList<>();
        for (long id = 1; id <= lib.count(type); id++) {
            boolean match = type == ItemType.Gallery
                    ? lib.matches((int) id, needle)
                    : lib.item(type, id).path("name").asText().toLowerCase(Locale.ROOT).contains(needle);
            if (match) {
                hits.add(id);
            }
        }
        return page(call, type, hits);
    }

    /** {@code {"count": all matching, "items": the sorted page}}. */
    private static ObjectNode page(FunctionCallContext call, ItemType type, List<Long> ids) {
        SampleLibrary lib = call.server().library();
        int limit = Math.max(0, Args.integer(call.arg("limit"), 100));
        int offset = Math.max(0, Args.integer(call.arg("offset"), 0));
        JsonNode sort = call.arg("sort_options");
        List<ObjectNode> items;
        if (sort.isObject() && sort.hasNonNull("by")) {
            // sorting needs every matching item; the sample library is small enough for that
            items = new ArrayList<>();
            ids.forEach(id -> items.add(lib.item(type, id)));
            items.sort(comparator(sort.get("by")));
        } else {
            items = null;
        }
        boolean desc = sort.isObject() && PyFormat.truthy(sort.get("desc"));
        int total = ids.size();
        ArrayNode out = Json.array();
        for (int i = offset; i < total && i < (long) offset + limit; i++) {
            int at = desc ? total - 1 - i : i;
            ObjectNode item = items != null ? items.get(at) : lib.item(type, ids.get(at));
            out.add(G2Fields.project(item, call.arg("fields")));
        }
        ObjectNode result = count(total);
        result.set("items", out);
        return result;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparator<ObjectNode> comparator(JsonNode by) {
        Function<JsonNode, Comparable<?>> key = by.isIntegralNumber() ? SORTS.get(by.intValue()) : null;
        if (key == null) {
            throw new HpxApiError(409, "ItemSort: enum member doesn't exist '" + PyFormat.repr(by) + "'");
        }
        Comparator<ObjectNode> byKey = Comparator.comparing(item -> (Comparable) key.apply(item));
        return byKey.thenComparingLong(item -> item.path("id").asLong());
    }

    private static String lower(JsonNode text) {
        return text.asText("").toLowerCase(Locale.ROOT);
    }
}
