package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.LongStream;

/** The §8 functions that read the in-memory {@link SampleLibrary}. */
final class LibraryFunctions {

    private LibraryFunctions() {
    }

    static List<FunctionSpec> all() {
        return List.of(
                FunctionSpec.of("get_count").param("item_type", 1).handler(LibraryFunctions::getCount),
                FunctionSpec.of("get_tags_count").handler(call -> countNode(call.server().library().tagCount())),
                FunctionSpec.of("get_items").param("item_type", 1).param("limit", 100).param("offset", null)
                        .handler(LibraryFunctions::getItems),
                FunctionSpec.of("search_items").param("item_type", 1).param("search_query", "")
                        .param("search_options", Json.object()).param("sort_by", null).param("sort_desc", false)
                        .param("full_search", true).param("limit", 100).param("offset", null)
                        .handler(LibraryFunctions::searchItems),
                FunctionSpec.of("get_item").param("item_type", 1).param("item_id", 0)
                        .handler(LibraryFunctions::getItem),
                FunctionSpec.of("get_similar").param("item_type", 1).param("item_id", 0).param("limit", 10)
                        .handler(LibraryFunctions::getSimilar));
    }

    private static ObjectNode countNode(int count) {
        ObjectNode n = Json.object();
        n.put("count", count);
        return n;
    }

    private static Object getCount(FunctionCallContext call) {
        ItemType type = ItemType.from(call.arg("item_type"));
        return countNode(call.server().library().count(type));
    }

    /**
     * GetModelItems._query: "if limit: q = q.limit(limit)", and SQLite reads a negative LIMIT as none, so 0, null
     * and negative values all mean every item; a negative OFFSET counts as 0 there too.
     */
    private static int limit(FunctionCallContext call) {
        int limit = Args.integer(call.arg("limit"), 0);
        return limit <= 0 ? Integer.MAX_VALUE : limit;
    }

    private static Object getItems(FunctionCallContext call) {
        ItemType type = ItemType.from(call.arg("item_type"));
        SampleLibrary lib = call.server().library();
        int limit = limit(call);
        int offset = Math.max(0, Args.integer(call.arg("offset"), 0));
        int total = lib.count(type);
        long first = (long) offset + 1;
        long last = Math.min(total, (long) offset + limit);
        return itemList(lib, type, () -> LongStream.rangeClosed(first, last));
    }

    /** The search config nodes' names (search_cmd._get_search_options), the only keys search_options may have. */
    private static final List<String> SEARCH_OPTION_NAMES =
            List.of("match_all_terms", "case_sensitive", "descendants", "regex", "match_whole_words");

    private static Object searchItems(FunctionCallContext call) {
        // interface/database.py search_items: item type, option names, unsupported types, then full_search
        ItemType type = ItemType.from(call.arg("item_type"));
        JsonNode options = call.arg("search_options");
        if (PyFormat.truthy(options)) {
            for (String n : iterated(options)) {
                if (!SEARCH_OPTION_NAMES.contains(n)) {
                    throw new HpxApiError(404, "Invalid search option name '" + n + "'");
                }
            }
        }
        if (type == ItemType.Page || type == ItemType.GalleryFilter) {
            throw new HpxApiError(404, "Unsupported itemtype ItemType." + type.pythonName());
        }
        if (!PyFormat.truthy(call.arg("full_search"))) {
            // model_ids stays set(), and GetModelItems returns () for an empty id set
            return Json.array();
        }
        SampleLibrary lib = call.server().library();
        int limit = limit(call);
        int offset = Math.max(0, Args.integer(call.arg("offset"), 0));
        JsonNode q = call.arg("search_query");
        String needle = q.isNull() ? "" : PyFormat.str(q).toLowerCase(Locale.ROOT).strip();
        List<Long> hits = new ArrayList<>();
        int total = lib.count(type);
        for (long id = 1; id <= total; id++) {
            boolean match = type == ItemType.Gallery
                    ? lib.matches((int) id, needle)
                    : lib.item(type, id).path("name").asText().toLowerCase(Locale.ROOT).contains(needle);
            if (match) {
                hits.add(id);
            }
        }
        if (PyFormat.truthy(call.arg("sort_desc"))) {
            java.util.Collections.reverse(hits);
        }
        List<Long> page = hits.subList(Math.min(offset, hits.size()), (int) Math.min(hits.size(), (long) offset + limit));
        return itemList(lib, type, () -> page.stream().mapToLong(Long::longValue));
    }

    /** What Python's {@code for n in value} yields as text: a dict's keys, a list's elements, a string's characters. */
    private static List<String> iterated(JsonNode v) {
        List<String> out = new ArrayList<>();
        if (v.isObject()) {
            v.fieldNames().forEachRemaining(out::add);
        } else if (v.isArray()) {
            v.forEach(e -> out.add(PyFormat.str(e)));
        } else if (v.isTextual()) {
            v.textValue().codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
        } else {
            // "'int' object is not iterable"
            throw new PyCrash("TypeError");
        }
        return out;
    }

    /** The items with these ids, each written straight into the reply: a 50 MB list must not become trees first. */
    private static LazyJson itemList(SampleLibrary lib, ItemType type, Supplier<LongStream> ids) {
        return w -> {
            JsonOutput out = new PyJsonOutput(w);
            out.beginArray();
            ids.get().forEach(id -> lib.writeItem(type, id, out));
            out.endArray();
        };
    }

    private static Object getItem(FunctionCallContext call) {
        // interface/database.py get_item: "if not item_id" is checked before ItemType.get(item_type)
        JsonNode idArg = call.arg("item_id");
        if (!PyFormat.truthy(idArg)) {
            throw new HpxApiError(404, "A valid item id is required, not " + PyFormat.str(idArg));
        }
        ItemType type = ItemType.from(call.arg("item_type"));
        ObjectNode item = idArg.isIntegralNumber() && idArg.canConvertToLong()
                ? call.server().library().item(type, idArg.longValue()) : null;
        if (item == null) {
            throw new HpxApiError(303, "'" + type.pythonName() + "' with id '" + PyFormat.str(idArg) + "' was not found");
        }
        return item;
    }

    private static Object getSimilar(FunctionCallContext call) {
        ItemType type = ItemType.from(call.arg("item_type"));
        SampleLibrary lib = call.server().library();
        long itemId = Args.integer(call.arg("item_id"), 0);
        int limit = Math.max(0, Args.integer(call.arg("limit"), 10));
        List<JsonNode> similar = new ArrayList<>();
        for (long id = 1; id <= lib.count(type) && similar.size() < limit; id++) {
            if (id != itemId) {
                similar.add(lib.item(type, id));
            }
        }
        return call.server().commands().start("Looking for similar items", Json.array().addAll(similar));
    }
}
