package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    /** enums.ItemSort of 0.3.0, name to value. */
    private static final Map<String, Integer> ITEM_SORT = new LinkedHashMap<>();

    static {
        String[] names = {"GalleryRandom", "GalleryTitle", "GalleryArtist", "GalleryDate", "GalleryPublished",
            "GalleryRead", "GalleryUpdated", "GalleryRating", "GalleryReadCount", "GalleryPageCount"};
        for (int i = 0; i < names.length; i++) {
            ITEM_SORT.put(names[i], i + 1);
        }
        ITEM_SORT.put("ArtistName", 20);
        ITEM_SORT.put("NamespaceTagNamespace", 30);
        ITEM_SORT.put("NamespaceTagTag", 31);
        ITEM_SORT.put("CircleName", 40);
        ITEM_SORT.put("ParodyName", 45);
        ITEM_SORT.put("CollectionRandom", 50);
        ITEM_SORT.put("CollectionName", 51);
        ITEM_SORT.put("CollectionDate", 52);
        ITEM_SORT.put("CollectionPublished", 53);
        ITEM_SORT.put("CollectionGalleryCount", 54);
    }

    /**
     * interface/helpers.py _sort_helper: returns whether GetDatabaseSort gives the model an ordering for sort_by,
     * or fails as it did. A member (by name, value or name in any case) never fails, even one for another model.
     */
    private static boolean sortIndex(ItemType type, JsonNode sortBy) {
        if (sortBy.isNull()) {
            return false;
        }
        if (sortBy.isArray() || sortBy.isObject()) {
            // ItemSort[<unhashable>]
            throw new PyCrash("TypeError");
        }
        Integer value = null;
        if (sortBy.isTextual()) {
            for (Map.Entry<String, Integer> e : ITEM_SORT.entrySet()) {
                if (e.getKey().equalsIgnoreCase(sortBy.textValue())) {
                    value = e.getValue();
                }
            }
        } else if (sortBy.isNumber() || sortBy.isBoolean()) {
            double v = sortBy.isBoolean() ? (sortBy.booleanValue() ? 1 : 0) : sortBy.doubleValue();
            for (Integer i : ITEM_SORT.values()) {
                if (i == v) {
                    value = i;
                }
            }
            if (value == null && (sortBy.isIntegralNumber() || sortBy.isBoolean()) && v == 0) {
                // GetDatabaseSort: "items.get(sort_index) if sort_index else items", then ordering.joins on a dict
                throw new PyCrash("AttributeError");
            }
        }
        if (value == null) {
            // an int that is no member is looked up as a sort index: the defaults are all members, so none is found
            throw new HpxApiError(409, "ItemSort: enum member or sort index doesn't exist '" + PyFormat.repr(sortBy) + "'");
        }
        return sortsOf(type).contains(value);
    }

    /** The sort indexes GetDatabaseSort's defaults give each model. */
    private static List<Integer> sortsOf(ItemType type) {
        switch (type) {
            case Gallery:
                return List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
            case Collection:
                return List.of(50, 51, 52, 53, 54);
            case Artist:
            case Parody:
                return List.of(20, 45);
            case Circle:
                return List.of(40);
            default:
                return List.of();
        }
    }

    /**
     * GetModelItems._query: "if limit: q = q.limit(limit)", and SQLAlchemy 1.2 makes the value util.asint(value),
     * Python's int(). A falsy value sets no LIMIT, and SQLite reads a negative LIMIT as none: 0, null and -1 mean
     * every item, while a truthy value that int() makes 0 ("0", 0.5) is LIMIT 0.
     */
    private static int sqlLimit(JsonNode v) {
        if (!PyFormat.truthy(v)) {
            return Integer.MAX_VALUE;
        }
        long limit = pyInt(v);
        return limit < 0 ? Integer.MAX_VALUE : (int) limit;
    }

    /** The same for "if offset: q = q.offset(offset)"; SQLite reads a negative OFFSET as 0. */
    private static int sqlOffset(JsonNode v) {
        long offset = PyFormat.truthy(v) ? pyInt(v) : 0;
        return (int) Math.max(0, offset);
    }

    /** Python's int(v), clamped to the int range (no page needs more). */
    private static long pyInt(JsonNode v) {
        long n;
        if (v.isBoolean()) {
            n = v.booleanValue() ? 1 : 0;
        } else if (v.isIntegralNumber()) {
            n = v.canConvertToLong() ? v.longValue() : (v.bigIntegerValue().signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE);
        } else if (v.isNumber()) {
            double d = v.doubleValue();
            if (Double.isNaN(d)) {
                throw new PyCrash("ValueError");
            }
            if (Double.isInfinite(d)) {
                throw new PyCrash("OverflowError");
            }
            n = (long) d;
        } else if (v.isTextual()) {
            String t = v.textValue().strip();
            if (!t.matches("[+-]?[0-9]+(_[0-9]+)*")) {
                throw new PyCrash("ValueError");
            }
            java.math.BigInteger b = new java.math.BigInteger(t.replace("_", ""));
            n = b.bitLength() < 63 ? b.longValue() : (b.signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE);
        } else {
            // int() of a list or dict
            throw new PyCrash("TypeError");
        }
        return Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, n));
    }

    /**
     * GetModelItems with more than 900 ids on SQLite: "fetched_list[offset:][:limit]" after "if not offset:
     * offset = 0" and "if not limit: limit = len(fetched_list)": Python slicing, which takes only ints.
     */
    private static List<Long> pySlicePage(List<Long> hits, JsonNode offsetArg, JsonNode limitArg) {
        int n = hits.size();
        int from = PyFormat.truthy(offsetArg) ? sliceBound(sliceIndex(offsetArg), n) : 0;
        List<Long> rest = hits.subList(from, n);
        int to = PyFormat.truthy(limitArg) ? sliceBound(sliceIndex(limitArg), rest.size()) : rest.size();
        return rest.subList(0, to);
    }

    private static long sliceIndex(JsonNode v) {
        if (v.isBoolean()) {
            return v.booleanValue() ? 1 : 0;
        }
        if (!v.isIntegralNumber()) {
            // "slice indices must be integers or None or have an __index__ method"
            throw new PyCrash("TypeError");
        }
        return v.canConvertToLong() ? v.longValue() : (v.bigIntegerValue().signum() < 0 ? Long.MIN_VALUE / 2 : Long.MAX_VALUE / 2);
    }

    private static int sliceBound(long i, int n) {
        long b = i < 0 ? i + n : i;
        return (int) Math.max(0, Math.min(n, b));
    }

    private static Object getItems(FunctionCallContext call) {
        ItemType type = ItemType.from(call.arg("item_type"));
        SampleLibrary lib = call.server().library();
        int limit = sqlLimit(call.arg("limit"));
        int offset = sqlOffset(call.arg("offset"));
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
        boolean ordered = sortIndex(type, call.arg("sort_by"));
        if (!PyFormat.truthy(call.arg("full_search"))) {
            // model_ids stays set(), and GetModelItems returns () for an empty id set
            return Json.array();
        }
        SampleLibrary lib = call.server().library();
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
        // the ordering itself is not applied (see the README); sort_desc only turns an ordering around
        if (ordered && PyFormat.truthy(call.arg("sort_desc"))) {
            java.util.Collections.reverse(hits);
        }
        List<Long> page;
        if (hits.size() > 900) {
            page = pySlicePage(hits, call.arg("offset"), call.arg("limit"));
        } else {
            int limit = sqlLimit(call.arg("limit"));
            int offset = sqlOffset(call.arg("offset"));
            page = hits.subList(Math.min(offset, hits.size()), (int) Math.min(hits.size(), (long) offset + limit));
        }
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
