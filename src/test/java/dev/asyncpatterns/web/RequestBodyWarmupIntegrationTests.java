package dev.asyncpatterns.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Type;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class RequestBodyWarmupIntegrationTests {

    @Autowired
    private RequestBodyWarmup warmup;

    @Test
    void everyJsonRequestBodyTypeHasItsDeserializerBuiltAtStartup() {
        assertThat(warmup.warmed()).extracting(Type::getTypeName)
            .contains("dev.asyncpatterns.jobs.JobRequest", "dev.asyncpatterns.fanout.GatherRequest",
                    "dev.asyncpatterns.fanout.WaitRequest", "dev.asyncpatterns.calls.CallRequest",
                    "dev.asyncpatterns.tcp.EchoRequest");
    }
}
