package io.chatsystem.query.search;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FragmentsTest {

    @Test
    void indexesEverySuffixOfEveryWordLowerCased() {
        assertThat(Fragments.of("Hello, World!"))
                .containsExactly("hello,", "ello,", "llo,", "lo,", "o,", ",", "world!", "orld!", "rld!", "ld!", "d!", "!");
    }

    @Test
    void aPartOfAWordIsThePrefixOfASuffix() {
        var fragments = Fragments.of("Hello, World!");
        for (String word : Fragments.queryWords("ELL wor")) {
            assertThat(fragments).anyMatch(fragment -> fragment.startsWith(word));
        }
    }

    @Test
    void foldsAccentsOnBothSides() {
        assertThat(Fragments.of("Crème")).contains("creme");
        assertThat(Fragments.queryWords("CRÈME brûlée")).containsExactly("creme", "brulee");
    }

    @Test
    void keepsPunctuationAndQuerySyntaxLiterally() {
        assertThat(Fragments.queryWords("C++ *:* \"x\" AND")).containsExactly("c++", "*:*", "\"x\"", "and");
        assertThat(Fragments.of("C++")).containsExactly("c++", "++", "+");
    }

    @Test
    void cutsFragmentsAndQueryWordsToTheSameLength() {
        String longWord = "x".repeat(100);
        assertThat(Fragments.of(longWord)).allMatch(f -> f.length() <= Fragments.MAX_LENGTH);
        assertThat(Fragments.queryWords(longWord)).containsExactly("x".repeat(Fragments.MAX_LENGTH));
    }

    @Test
    void countsEmojiAsOneCharacter() {
        assertThat(Fragments.of("a😀")).containsExactly("a😀", "😀");
    }

    @Test
    void blankTextHasNoWords() {
        assertThat(Fragments.queryWords("  \t ")).isEmpty();
        assertThat(Fragments.of("")).isEmpty();
    }
}
