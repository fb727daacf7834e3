package dev.asyncpatterns.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/** Once installed, the hook keeps an answered read timeout out of the log and every other dropped error in it. */
@ExtendWith(OutputCaptureExtension.class)
class DroppedReadTimeoutsTests {

    @Test
    void aDroppedReadTimeoutIsNotLoggedAsAnError(CapturedOutput output) {
        new DroppedReadTimeouts();

        Operators.onErrorDropped(new BodyReadTimeoutException(), Context.empty());

        // Only this test's exception is looked for: other contexts' threads in this JVM may log meanwhile.
        assertThat(output).doesNotContain(BodyReadTimeoutException.class.getName());
    }

    @Test
    void anyOtherDroppedErrorIsLoggedAsReactorLogsIt(CapturedOutput output) {
        new DroppedReadTimeouts();

        Operators.onErrorDropped(new IllegalStateException("lost after the end"), Context.empty());

        assertThat(output).contains("ERROR").contains("reactor.core.publisher.Operators")
            .contains("Operator called default onErrorDropped").contains("IllegalStateException: lost after the end");
    }
}
