package io.github.camelhpx.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a log line or an error message may show of a message: its secrets blanked, whatever their length. */
class SecretMaskTest {

    @Test
    void aSessionOrPasswordValueIsBlankedUpToItsClosingQuoteEscapesIncluded() {
        String masked = SecretMask.mask("{\"session\": \"a\\\"b\", \"my_password\":\"p\", \"name\": \"n\"}");

        assertThat(masked).isEqualTo("{\"session\": \"****\", \"my_password\":\"*\", \"name\": \"n\"}");
    }

    /** A value cut off by the end of the text (a preview) is blanked to the end. */
    @Test
    void aValueCutOffIsBlankedToTheEnd() {
        assertThat(SecretMask.mask("{\"session\": \"abc")).isEqualTo("{\"session\": \"***");
    }

    /** A regex group repeated per character recursed per character: a long value overflowed the stack. */
    @Test
    void aLongValueIsBlankedWithoutOverflowingTheStack() {
        String value = "x".repeat(200_000);

        String masked = SecretMask.mask("{\"session\":\"" + value + "\",\"data\":1}");

        assertThat(masked).isEqualTo("{\"session\":\"" + "*".repeat(200_000) + "\",\"data\":1}");
    }

    /** What looks like a key inside a value (after an escaped quote) is part of the value, and hides no later key. */
    @Test
    void aKeyInsideAValueHidesNoLaterKey() {
        String masked = SecretMask.mask("{\"password\": \"a\\\"password\": \"session\": \"S3CRET\"}");

        assertThat(masked).doesNotContain("S3CRET");
    }
}
