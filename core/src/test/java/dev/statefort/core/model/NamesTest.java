package dev.statefort.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.InvalidInputException;
import org.junit.jupiter.api.Test;

class NamesTest {
    @Test
    void acceptsLettersDigitsDotsDashesUnderscoresAfterAnAlphanumericStart() {
        assertThat(Names.isValid("prod")).isTrue();
        assertThat(Names.isValid("eu-west-1.network_core")).isTrue();
        assertThat(Names.isValid("9lives")).isTrue();
    }

    @Test
    void rejectsEmptyLeadingPunctuationSlashesAndOverlongNames() {
        assertThat(Names.isValid("")).isFalse();
        assertThat(Names.isValid(null)).isFalse();
        assertThat(Names.isValid(".hidden")).isFalse();
        assertThat(Names.isValid("-x")).isFalse();
        assertThat(Names.isValid("a/b")).isFalse();
        assertThat(Names.isValid("..")).isFalse();
        assertThat(Names.isValid("a b")).isFalse();
        assertThat(Names.isValid("a".repeat(Names.MAX_LENGTH + 1))).isFalse();
        assertThat(Names.isValid("a".repeat(Names.MAX_LENGTH))).isTrue();
    }

    @Test
    void stateKeyRejectsInvalidNamesWithAMessageNamingTheRule() {
        assertThatThrownBy(() -> new StateKey("default", "../etc"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("invalid state name");
    }
}
