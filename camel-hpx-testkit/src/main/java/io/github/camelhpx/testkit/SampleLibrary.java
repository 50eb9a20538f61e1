package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
        int i = (int) id;
        switch (type) {
            case Gallery: return gallery(i);
            case Collection: return collection(i);
            case GalleryFilter: return named(i, new String[] {"Favourites", "Unread", "Recently added"}[i - 1]);
            case Page: return page(i);
            case Grouping: return named(i, title(i));
            case Title: return titleNode(i);
            case Artist: return named(i, artistName(i));
            case Circle: return named(i, capitalize(word(i, 77, 2)) + " Circle");
            case Parody: return named(i, capitalize(word(i, 91, 3)) + " Chronicles");
            case Category: return named(i, CATEGORIES[i - 1]);
            case Language: return named(i, LANGUAGES[i - 1]);
            case Status: return named(i, STATUSES[i - 1]);
            case GalleryUrl: return named(i, url(i));
            default: return null;
        }
    }

    /** Gallery {@code id} (1-based), or null when out of range. */
    public ObjectNode gallery(int id) {
        if (id < 1 || id > galleries) {
            return null;
        }
        ObjectNode g = Json.object();
        g.put("id", id);
        g.set("titles", Json.array().add(titleNode(id)));
        ArrayNode artists = g.putArray("artists");
        int artistCount = 1 + (int) (rnd(id, 2) % 2);
        for (int a = 0; a < artistCount; a++) {
            int artistId = 1 + (int) (rnd(id, 3 + a) % count(ItemType.Artist));
            artists.add(named(artistId, artistName(artistId)));
        }
        int circleId = 1 + (int) (rnd(id, 5) % count(ItemType.Circle));
        g.set("circles", Json.array().add(item(ItemType.Circle, circleId)));
        int parodyId = 1 + (int) (rnd(id, 6) % count(ItemType.Parody));
        g.set("parodies", Json.array().add(item(ItemType.Parody, parodyId)));
        g.set("category", item(ItemType.Category, 1 + rnd(id, 7) % CATEGORIES.length));
        g.set("language", item(ItemType.Language, 1 + languageIndex(id)));
        g.set("status", item(ItemType.Status, 1 + rnd(id, 8) % STATUSES.length));
        g.put("grouping_id", id);
        g.put("number", 0);
        g.put("info", "Sample gallery " + id + " of the camel-hpx test library. " + title(id) + ".");
        long pub = EPOCH_2015 + rnd(id, 9) % 300_000_000L;
        g.put("pub_date", pub);
        g.put("timestamp", pub + 86_400L);
        boolean read = rnd(id, 10) % 3 != 0;
        if (read) {
            g.put("last_read", pub + 172_800L + rnd(id, 11) % 10_000_000L);
        } else {
            g.putNull("last_read");
        }
        g.put("last_updated", pub + 90_000L);
        g.put("times_read", read ? (int) (1 + rnd(id, 12) % 40) : 0);
        g.put("rating", (int) (rnd(id, 13) % 11));
        g.put("page_count", pageCount(id));
        g.set("urls", Json.array().add(named(id, url(id))));
        ObjectNode tags = g.putObject("tags");
        for (int[] tag : tagsOf(id)) {
            String[] t = TAGS[tag[0]];
            ArrayNode list = tags.has(t[0]) ? (ArrayNode) tags.get(t[0]) : tags.putArray(t[0]);
            list.add(t[1]);
        }
        ObjectNode meta = g.putObject("metatags");
        meta.put("favorite", rnd(id, 14) % 5 == 0);
        meta.put("inbox", rnd(id, 15) % 4 == 0);
        meta.put("readlater", rnd(id, 16) % 6 == 0);
        meta.put("trash", false);
        return g;
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
        for (int[] tag : tagsOf(id)) {
            String[] t = TAGS[tag[0]];
            String full = t[0].isEmpty() ? t[1] : t[0] + ":" + t[1];
            if (full.contains(needleLower)) {
                return true;
            }
        }
        return false;
    }

    private List<int[]> tagsOf(int id) {
        List<int[]> list = new ArrayList<>();
        int n = 2 + (int) (rnd(id, 30) % 5);
        boolean[] used = new boolean[TAGS.length];
        for (int k = 0; k < n; k++) {
            int t = (int) (rnd(id, 31 + k) % TAGS.length);
            if (!used[t]) {
                used[t] = true;
                list.add(new int[] {t});
            }
        }
        list.sort((a, b) -> Integer.compare(a[0], b[0]));
        return list;
    }

    private ObjectNode titleNode(int id) {
        ObjectNode t = named(id, title(id));
        t.set("language", named(1 + languageIndex(id), LANGUAGES[languageIndex(id)]));
        return t;
    }

    private int languageIndex(int id) {
        return (int) (rnd(id, 40) % LANGUAGES.length);
    }

    private ObjectNode collection(int id) {
        ObjectNode c = named(id, capitalize(word(id, 50, 3)) + " Collection");
        c.put("info", "Galleries " + ((id - 1) * 10 + 1) + " to " + Math.min(galleries, id * 10));
        c.put("pub_date", EPOCH_2015 + rnd(id, 51) % 300_000_000L);
        c.put("timestamp", EPOCH_2015 + rnd(id, 52) % 300_000_000L);
        return c;
    }

    private ObjectNode page(int pageId) {
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
        ObjectNode p = named(pageId, String.format("%03d.jpg", number));
        p.put("number", number);
        p.put("gallery_id", lo);
        p.put("in_archive", rnd(lo, 60) % 2 == 0);
        p.put("hash", Long.toHexString(rnd(pageId, 61)));
        return p;
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
        return capitalize(word(id, 70, 2)) + " " + capitalize(word(id, 71, 3));
    }

    private String url(int id) {
        return "https://example.org/g/" + id + "/" + Long.toHexString(rnd(id, 80) & 0xffffffffffL) + "/";
    }

    private String word(int id, int salt, int syllables) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < syllables; k++) {
            sb.append(SYLLABLES[(int) (rnd(id, salt * 8 + k) % SYLLABLES.length)]);
        }
        return sb.toString();
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static ObjectNode named(long id, String name) {
        ObjectNode n = Json.object();
        n.put("id", id);
        n.put("name", name);
        return n;
    }

    /** splitmix64 of (seed, id, salt): non-negative, stable across JVMs. */
    private long rnd(long id, long salt) {
        long z = seed + id * 0x9E3779B97F4A7C15L + salt * 0xD1B54A32D192ED03L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) >>> 1;
    }
}
