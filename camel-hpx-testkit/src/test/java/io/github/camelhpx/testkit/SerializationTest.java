package io.github.camelhpx.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Replies are serialised like Python's json.dumps defaults (expected texts produced with CPython). */
class SerializationTest {

    @RegisterExtension
    static HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b.function(FunctionSpec.echo()));

    private static String echoText(String valueJson) {
        try (RawClient c = RawClient.guest(hpx.server())) {
            c.writeJson("{\"session\": \"" + c.session() + "\", \"name\": \"t\", \"data\": [{\"fname\": \"echo\", \"value\": " + valueJson + "}]}");
            String text = c.readText();
            String prefix = "{\"session\": \"" + c.session() + "\", \"name\": \"" + hpx.server().serverName()
                    + "\", \"data\": [{\"fname\": \"echo\", \"data\": ";
            assertThat(text).startsWith(prefix).endsWith("}]}");
            return text.substring(prefix.length(), text.length() - 3);
        }
    }

    @Test
    void stringsAreAsciiWithLowercaseEscapesAndSurrogatePairs() {
        assertThat(echoText("\"é😀\\\"\\\\\\n\\u0001\u007f/<>\\b\\f\\t\\r\""))
                .isEqualTo("\"\\u00e9\\ud83d\\ude00\\\"\\\\\\n\\u0001\\u007f/<>\\b\\f\\t\\r\"");
    }

    @Test
    void floatsUsePythonsRepr() {
        assertThat(echoText("[1e16, 1e-05, 0.0001, 1.5, 1e22, 0.30000000000000004, 123456789012345678.0, -0.0, NaN, Infinity,"
                + " -Infinity, 100.0, 1e15, 1.7976931348623157e308]"))
                .isEqualTo("[1e+16, 1e-05, 0.0001, 1.5, 1e+22, 0.30000000000000004, 1.2345678901234568e+17, -0.0, NaN, Infinity,"
                        + " -Infinity, 100.0, 1000000000000000.0, 1.7976931348623157e+308]");
    }

    @Test
    void containersUseCommaSpaceAndColonSpace() {
        assertThat(echoText("{\"i\":[12345678901234567890123,-1,0],\"n\":null,\"b\":[true,false],\"e\":{},\"a\":[]}"))
                .isEqualTo("{\"i\": [12345678901234567890123, -1, 0], \"n\": null, \"b\": [true, false], \"e\": {}, \"a\": []}");
    }

    @Test
    void integersOfEveryLength() {
        assertThat(echoText("[0, 7, -7, 10, 99, -100, 999999999999999999, 1000000000000000000, 9223372036854775807,"
                + " -9223372036854775808, 9223372036854775808]"))
                .isEqualTo("[0, 7, -7, 10, 99, -100, 999999999999999999, 1000000000000000000, 9223372036854775807,"
                        + " -9223372036854775808, 9223372036854775808]");
    }

    @Test
    void duplicateKeysKeepTheFirstPositionAndTheLastValueLikeAPythonDict() {
        assertThat(echoText("{\"a\": 1, \"b\": 2, \"a\": 3}")).isEqualTo("{\"a\": 3, \"b\": 2}");
    }

    @Test
    void pythonReprOfValuesInErrorTexts() {
        assertThat(PyFormat.repr(RawClient.parse("{\"a\": [true, null, 1.0, \"it's\"], \"b\": \"both'\\\"\"}")))
                .isEqualTo("{'a': [True, None, 1.0, \"it's\"], 'b': 'both\\'\"'}");
        assertThat(PyFormat.repr(RawClient.parse("\"a\\u0000\\u00e9\\u200b\""))).isEqualTo("'a\\x00é\\u200b'");
        assertThat(PyFormat.floatRepr(-1e-7)).isEqualTo("-1e-07");
        assertThat(PyFormat.bytesRepr(new byte[] {0x1f, (byte) 0x8b}, 0, 2)).isEqualTo("b'\\x1f\\x8b'");
    }
}
