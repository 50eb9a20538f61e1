package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The server's in-memory library. Items are not stored: each is generated from its id and the seed on
 * demand, so {@code galleries(100_000)} costs no memory and always yields the same items (benchmarks use
 * it to get 5–50 MB replies from get_items). A gallery serialises to roughly 900 bytes.
 */
public final class SampleLibrary {

    private static final String[] ADJECTIVES = {"Quiet", "Crimson", "Endless", "Hidden", "Silver", "Broken",
        "Golden", "Midnight", "Forgotten", "Wandering", "Frozen", "Burning", "Gentle", "Distant", "Little"};
    private static final String[] NOUNS = {"Garden", "Summer", "Letters", "Lanterns", "River", "Festival",
        "Library", "Harbor", "Station", "Melody", "Castle", "Rain", "Orchard", "Lighthouse", "Promise"};
    // non-ASCII on purpose: replies must carry Python-style \\uXXXX escapes
    private static final String[] EXTRAS = {"Ōkami", "Café", "Straße", "夏祭り", "Été", "Mañana", "桜", "Ångström"};
    private static final String[] SYLLABLES = {"ka", "mi", "ro", "ta", "su", "ne", "ko", "ha", "yu", "ri",
        "sa", "to", "na", "mo", "ki", "ra"};
    static final String[] CATEGORIES = {"Doujinshi", "Manga", "Artist CG", "Game CG", "Western", "Non-H",
        "Image Set", "Cosplay", "Misc"};
    static final String[] LANGUAGES = {"English", "Japanese", "Chinese", "Korean", "French", "German", "Spanish"};
    static final String[] STATUSES = {"Completed", "Ongoing", "Unreleased", "Unknown"};
    // grouped by namespace, which writeTags relies on
    private static final String[][] TAGS = {
        {"female", "glasses"}, {"female", "ponytail"}, {"female", "school uniform"}, {"male", "glasses"},
        {"male", "suit"}, {"misc", "full color"}, {"misc", "story arc"}, {"misc", "uncensored"},
        {"misc", "multi-work series"}, {"", "slice of life"}, {"", "comedy"}, {"", "romance"}, {"", "drama"},
        {"", "adventure"}, {"", "fantasy"}, {"", "mystery"}, {"", "sports"}, {"", "music"},
        {"language", "translated"}, {"language", "rewrite"}};
    private static final long EPOCH_2015 = 1_420_070_400L;

    private final int galleries;
    private final long seed;
    private volatile int[] pageOffsets;

    private SampleLibrary(int galleries, long seed) {
        if (galleries < 0) {
            throw new IllegalArgumentException("negative gallery count");
        }
        this.galleries = galleries;
        this.seed = seed;
    }

    /** A library of {@code n} galleries (ids 1..n) with a fixed seed: the same n always gives the same items. */
    public static SampleLibrary galleries(int n) {
        return new SampleLibrary(n, 0x5eed_4b1dL);
    }

    /** As {@link #galleries(int)} with another seed, for a different but still deterministic library. */
    public static SampleLibrary galleries(int n, long seed) {
        return new SampleLibrary(n, seed);
    }

    public static SampleLibrary empty() {
        return new SampleLibrary(0, 0);
    }

    /** The library a server gets unless told otherwise: 25 galleries. */
    public static SampleLibrary defaultLibrary() {
        return galleries(25);
    }

    public int galleryCount() {
        return galleries;
    }

    /** How many items of that type exist (ids 1..count). */
    public int count(ItemType type) {
        if (galleries == 0) {
            return 0;
        }
        switch (type) {
            case Gallery: case Grouping: case Title: case GalleryUrl: return galleries;
            case Collection: return (galleries + 9) / 10;
            case GalleryFilter: return 3;
            case Page: return pageOffsets()[galleries];
            case Artist: return Math.max(1, galleries / 4);
            case Circle: return Math.max(1, galleries / 8);
            case Parody: return Math.max(1, galleries / 10);
            case Category: return CATEGORIES.length;
            case Language: return LANGUAGES.length;
            case Status: return STATUSES.length;
            default: throw new IllegalArgumentException(String.valueOf(type));
        }
    }

    public int tagCount() {
        return galleries == 0 ? 0 : TAGS.length;
    }

    /** The item of that type and id, or null if there is none. */
    public ObjectNode item(ItemType type, long id) {
        if (id < 1 || id > count(type)) {
            return null;
        }
        return tree(out -> writeItem(type, id, out));
    }

    /** Gallery {@code id} (1-based), or null when out of range. */
    public ObjectNode gallery(int id) {
        if (id < 1 || id > galleries) {
            return null;
        }
        return tree(out -> writeGallery(id, out));
    }

    private static ObjectNode tree(Consumer<JsonOutput> description) {
        JsonTreeOutput tree = new JsonTreeOutput();
        description.accept(tree);
        return (ObjectNode) tree.root();
    }

    /** Describes the item of that type and id, which must exist (1..{@link #count}). */
    void writeItem(ItemType type, long id, JsonOutput out) {
        int i = (int) id;
        switch (type) {
            case Gallery: writeGallery(i, out); break;
            case Collection: writeCollection(i, out); break;
            case GalleryFilter: named(i, new String[] {"Favourites", "Unread", "Recently added"}[i - 1], out); break;
            case Page: writePage(i, out); break;
            case Grouping: named(i, title(i), out); break;
            case Title: writeTitle(i, title(i), out); break;
            case Artist: named(i, artistName(i), out); break;
            case Circle: named(i, word(i, 77, 2, " Circle"), out); break;
            case Parody: named(i, word(i, 91, 3, " Chronicles"), out); break;
            case Category: named(i, CATEGORIES[i - 1], out); break;
            case Language: named(i, LANGUAGES[i - 1], out); break;
            case Status: named(i, STATUSES[i - 1], out); break;
            case GalleryUrl: named(i, url(i), out); break;
            default: throw new IllegalArgumentException(String.valueOf(type));
        }
    }

    private void writeGallery(int id, JsonOutput out) {
        String title = title(id);
        out.beginObject();
        out.member("id", id);
        out.key("titles");
        out.beginArray();
        writeTitle(id, title, out);
        out.endArray();
        out.key("artists");
        out.beginArray();
        int artistCount = 1 + (int) (rnd(id, 2) % 2);
        for (int a = 0; a < artistCount; a++) {
            int artistId = 1 + (int) (rnd(id, 3 + a) % count(ItemType.Artist));
            named(artistId, artistName(artistId), out);
        }
        out.endArray();
        out.key("circles");
        out.beginArray();
        writeItem(ItemType.Circle, 1 + rnd(id, 5) % count(ItemType.Circle), out);
        out.endArray();
        out.key("parodies");
        out.beginArray();
        writeItem(ItemType.Parody, 1 + rnd(id, 6) % count(ItemType.Parody), out);
        out.endArray();
        out.key("category");
        writeItem(ItemType.Category, 1 + rnd(id, 7) % CATEGORIES.length, out);
        out.key("language");
        writeItem(ItemType.Language, 1 + languageIndex(id), out);
        out.key("status");
        writeItem(ItemType.Status, 1 + rnd(id, 8) % STATUSES.length, out);
        out.member("grouping_id", id);
        out.member("number", 0);
        out.member("info", "Sample gallery " + id + " of the camel-hpx test library. " + title + ".");
        long pub = EPOCH_2015 + rnd(id, 9) % 300_000_000L;
        out.member("pub_date", pub);
        out.member("timestamp", pub + 86_400L);
        boolean read = rnd(id, 10) % 3 != 0;
        out.key("last_read");
        if (read) {
            out.value(pub + 172_800L + rnd(id, 11) % 10_000_000L);
        } else {
            out.nullValue();
        }
        out.member("last_updated", pub + 90_000L);
        out.member("times_read", read ? (int) (1 + rnd(id, 12) % 40) : 0);
        out.member("rating", (int) (rnd(id, 13) % 11));
        out.member("page_count", pageCount(id));
        out.key("urls");
        out.beginArray();
        named(id, url(id), out);
        out.endArray();
        out.key("tags");
        writeTags(id, out);
        out.key("metatags");
        out.beginObject();
        out.member("favorite", rnd(id, 14) % 5 == 0);
        out.member("inbox", rnd(id, 15) % 4 == 0);
        out.member("readlater", rnd(id, 16) % 6 == 0);
        out.member("trash", false);
        out.endObject();
        out.endObject();
    }

    /** {namespace: [tag, ...]}, namespaces in the order of their first tag. */
    private void writeTags(int id, JsonOutput out) {
        out.beginObject();
        String namespace = null;
        for (int tag : tagsOf(id)) {
            String[] t = TAGS[tag];
            // TAGS keeps each namespace's tags together, so ascending tags meet each namespace once
            if (!t[0].equals(namespace)) {
                if (namespace != null) {
                    out.endArray();
                }
                namespace = t[0];
                out.key(namespace);
                out.beginArray();
            }
            out.value(t[1]);
        }
        if (namespace != null) {
            out.endArray();
        }
        out.endObject();
    }

    /** The gallery's title, as shown in {@code titles[0].name}. */
    public String title(int id) {
        String base = ADJECTIVES[(int) (rnd(id, 20) % ADJECTIVES.length)] + " "
                + NOUNS[(int) (rnd(id, 21) % NOUNS.length)];
        if (rnd(id, 22) % 5 == 0) {
            base += " " + EXTRAS[(int) (rnd(id, 23) % EXTRAS.length)];
        }
        return base + " " + (1 + rnd(id, 24) % 12);
    }

    /** Whether gallery {@code id} matches a search: case-insensitive substring of its title or any tag. */
    boolean matches(int id, String needleLower) {
        if (needleLower.isEmpty() || title(id).toLowerCase(Locale.ROOT).contains(needleLower)) {
            return true;
        }
        for (int tag : tagsOf(id)) {
            String[] t = TAGS[tag];
            String full = t[0].isEmpty() ? t[1] : t[0] + ":" + t[1];
            if (full.contains(needleLower)) {
                return true;
            }
        }
        return false;
    }

    /** The gallery's tags as indexes into TAGS, ascending. */
    private int[] tagsOf(int id) {
        int n = 2 + (int) (rnd(id, 30) % 5);
        boolean[] used = new boolean[TAGS.length];
        for (int k = 0; k < n; k++) {
            used[(int) (rnd(id, 31 + k) % TAGS.length)] = true;
        }
        int[] tags = new int[n];
        int count = 0;
        for (int t = 0; t < TAGS.length; t++) {
            if (used[t]) {
                tags[count++] = t;
            }
        }
        return Arrays.copyOf(tags, count);
    }

    private void writeTitle(int id, String title, JsonOutput out) {
        beginNamed(id, title, out);
        out.key("language");
        named(1 + languageIndex(id), LANGUAGES[languageIndex(id)], out);
        out.endObject();
    }

    private int languageIndex(int id) {
        return (int) (rnd(id, 40) % LANGUAGES.length);
    }

    private void writeCollection(int id, JsonOutput out) {
        beginNamed(id, word(id, 50, 3, " Collection"), out);
        out.member("info", "Galleries " + ((id - 1) * 10 + 1) + " to " + Math.min(galleries, id * 10));
        out.member("pub_date", EPOCH_2015 + rnd(id, 51) % 300_000_000L);
        out.member("timestamp", EPOCH_2015 + rnd(id, 52) % 300_000_000L);
        out.endObject();
    }

    private void writePage(int pageId, JsonOutput out) {
        int[] offsets = pageOffsets();
        int lo = 1;
        int hi = galleries;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (offsets[mid] < pageId) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int number = pageId - offsets[lo - 1];
        String digits = Integer.toString(number);
        // "%03d.jpg" without String.format, which would cost more than all the rest of a page
        beginNamed(pageId, "000".substring(Math.min(3, digits.length())) + digits + ".jpg", out);
        out.member("number", number);
        out.member("gallery_id", lo);
        out.member("in_archive", rnd(lo, 60) % 2 == 0);
        out.member("hash", Long.toHexString(rnd(pageId, 61)));
        out.endObject();
    }

    private int pageCount(int id) {
        return 8 + (int) (rnd(id, 1) % 40);
    }

    private int[] pageOffsets() {
        int[] offsets = pageOffsets;
        if (offsets == null) {
            offsets = new int[galleries + 1];
            for (int i = 1; i <= galleries; i++) {
                offsets[i] = offsets[i - 1] + pageCount(i);
            }
            pageOffsets = offsets;
        }
        return offsets;
    }

    private String artistName(int id) {
        return appendWord(appendWord(new StringBuilder(16), id, 70, 2).append(' '), id, 71, 3).toString();
    }

    private String url(int id) {
        return "https://example.org/g/" + id + "/" + Long.toHexString(rnd(id, 80) & 0xffffffffffL) + "/";
    }

    private String word(int id, int salt, int syllables, String suffix) {
        return appendWord(new StringBuilder(16), id, salt, syllables).append(suffix).toString();
    }

    /** Appends a made-up capitalised word, e.g. "Kamiro". */
    private StringBuilder appendWord(StringBuilder sb, int id, int salt, int syllables) {
        int start = sb.length();
        for (int k = 0; k < syllables; k++) {
            sb.append(SYLLABLES[(int) (rnd(id, salt * 8 + k) % SYLLABLES.length)]);
        }
        sb.setCharAt(start, Character.toUpperCase(sb.charAt(start)));
        return sb;
    }

    private static void named(long id, String name, JsonOutput out) {
        beginNamed(id, name, out);
        out.endObject();
    }

    /** {"id": id, "name": name, and the caller's further members. */
    private static void beginNamed(long id, String name, JsonOutput out) {
        out.beginObject();
        out.member("id", id);
        out.member("name", name);
    }

    /** splitmix64 of (seed, id, salt): non-negative, stable across JVMs. */
    private long rnd(long id, long salt) {
        long z = seed + id * 0x9E3779B97F4A7C15L + salt * 0xD1B54A32D192ED03L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) >>> 1;
    }
}
