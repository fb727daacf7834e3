package dev.asyncpatterns.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamedWebFilterTests {

    @Test
    void aFilterIsNamedByItsClassWithoutAnIdentityHash() {
        assertThat(new WelcomePageHead()).hasToString("WelcomePageHead");
    }
}
