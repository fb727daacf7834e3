package dev.asyncpatterns.cluster;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class StoreEnvironmentTests {

    @Test
    void theMemoryStoreExcludesEveryDatabaseAutoConfigurationAndKeepsTheUsersOwnExclusions() {
        StandardEnvironment environment = environment(Map.of("spring.autoconfigure.exclude", "com.example.Mine"));

        new StoreEnvironment().postProcessEnvironment(environment, null);

        assertThat(environment.getProperty("spring.autoconfigure.exclude")).contains("com.example.Mine",
                "org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration",
                "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
                "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration");
        assertThat(environment.getProperty("spring.flyway.url")).isNull();
    }

    @Test
    void thePostgresStoreDerivesFlywaysConnectionFromTheR2dbcProperties() {
        StandardEnvironment environment = environment(Map.of("asyncpatterns.store", "postgres",
                "spring.r2dbc.url", "r2dbc:pool:postgresql://db:5432/jobs?sslmode=disable",
                "spring.r2dbc.username", "app", "spring.r2dbc.password", "secret",
                "management.endpoint.health.group.readiness.include", "readinessState,jobRegistry"));

        new StoreEnvironment().postProcessEnvironment(environment, null);

        assertThat(environment.getProperty("spring.flyway.url")).isEqualTo("jdbc:postgresql://db:5432/jobs?sslmode=disable");
        assertThat(environment.getProperty("spring.flyway.user")).isEqualTo("app");
        assertThat(environment.getProperty("spring.flyway.password")).isEqualTo("secret");
        assertThat(environment.getProperty("spring.autoconfigure.exclude"))
            .contains("org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
            .doesNotContain("R2dbcAutoConfiguration", "FlywayAutoConfiguration");
        assertThat(environment.getProperty("management.endpoint.health.group.readiness.include"))
            .isEqualTo("readinessState,jobRegistry,jobStore");
    }

    @Test
    void anExplicitFlywayUrlIsLeftAlone() {
        StandardEnvironment environment = environment(Map.of("asyncpatterns.store", "postgres",
                "spring.r2dbc.url", "r2dbc:postgresql://db/jobs", "spring.flyway.url", "jdbc:postgresql://admin/jobs"));

        new StoreEnvironment().postProcessEnvironment(environment, null);

        assertThat(environment.getProperty("spring.flyway.url")).isEqualTo("jdbc:postgresql://admin/jobs");
    }

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return environment;
    }
}
