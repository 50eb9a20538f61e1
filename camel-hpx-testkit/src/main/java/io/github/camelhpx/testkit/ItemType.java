package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;

/** HPX's ItemType enum (§8), with the real server's lookup rules for enum arguments. */
public enum ItemType {
    Gallery(1), Collection(2), GalleryFilter(3), Page(4), Grouping(5), Title(6), Artist(7), Category(8),
    Language(9), Status(10), Circle(11), GalleryUrl(12), Parody(13);

    private final int value;

    ItemType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** The member's name in 0.3.0's enums.ItemType (12 is {@code Url} there), used in lookups and error texts. */
    String pythonName() {
        return this == GalleryUrl ? "Url" : name();
    }

    /**
     * Python's {@code _APIEnum.get}: exact name, value (booleans count as 0/1, floats by equality), or name in
     * any case; otherwise 409 {@code ItemType: enum member doesn't exist '<repr>'}.
     */
    static ItemType from(JsonNode key) {
        if (key != null && (key.isArray() || key.isObject())) {
            throw new PyCrash("TypeError");
        }
        if (key != null && key.isTextual()) {
            for (ItemType t : values()) {
                if (t.pythonName().toLowerCase(Locale.ROOT).equals(key.textValue().toLowerCase(Locale.ROOT))) {
                    return t;
                }
            }
        } else if (key != null && (key.isNumber() || key.isBoolean())) {
            double v = key.isBoolean() ? (key.booleanValue() ? 1 : 0) : key.doubleValue();
            for (ItemType t : values()) {
                if (t.value == v) {
                    return t;
                }
            }
        }
        throw new HpxApiError(409, "ItemType: enum member doesn't exist '" + PyFormat.repr(key) + "'");
    }
}
