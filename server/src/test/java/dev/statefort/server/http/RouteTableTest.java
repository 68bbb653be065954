package dev.statefort.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.statefort.core.NotFoundException;
import dev.statefort.core.model.Permission;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private final RouteTable<String> table = RouteTable.<String>builder()
            .add("GET", "/tf/alias/{id}", Access.state(Permission.OUTPUTS), "alias read")
            .add("GET", "/tf/{project}/{state}", Access.state(Permission.OUTPUTS), "read")
            .add("LOCK", "/tf/{project}/{state}", Access.state(Permission.WRITE), "lock")
            .add("GET", "/ui/", Access.signedIn(), "projects")
            .build();

    @Test
    void aMatchCarriesTheRouteAndThePlaceholdersValues() {
        RouteTable.Match<String> match = table.match("LOCK", "/tf/default/network");
        assertThat(match.route().endpoint()).isEqualTo("lock");
        assertThat(match.path().state().toString()).isEqualTo("default/network");
        assertThat(match.route().name()).isEqualTo("LOCK /tf/{project}/{state}");
    }

    @Test
    void theFirstListedTemplateThatFitsWins() {
        RouteTable.Match<String> match = table.match("GET", "/tf/alias/abc");
        assertThat(match.route().endpoint()).isEqualTo("alias read");
        assertThat(match.path().get("id")).isEqualTo("abc");
        assertThat(match.path().has("project")).isFalse();
    }

    @Test
    void anotherMethodIs405WithTheMethodsOfEveryTemplateThatFits() {
        assertThatThrownBy(() -> table.match("PATCH", "/tf/default/network"))
                .isInstanceOfSatisfying(MethodNotAllowedException.class, e -> assertThat(e.allow())
                        .isEqualTo("GET, LOCK"));
        assertThat(table.match("LOCK", "/tf/alias/abc").route().endpoint())
                .as("a later template serves a method the first one that fits lacks")
                .isEqualTo("lock");
    }

    @Test
    void aPathNoTemplateFitsIs404AndAPlaceholderNeverMatchesAnEmptySegment() {
        assertThatThrownBy(() -> table.match("GET", "/tf/default")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> table.match("GET", "/tf/default/")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> table.match("GET", "/tf//network")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> table.match("GET", "/ui")).isInstanceOf(NotFoundException.class);
        assertThat(table.match("GET", "/ui/").route().endpoint()).isEqualTo("projects");
    }
}
