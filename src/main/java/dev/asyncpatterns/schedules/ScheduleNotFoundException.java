package dev.asyncpatterns.schedules;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

import dev.asyncpatterns.web.ProblemTypes;
import dev.asyncpatterns.web.Problems;

/** No schedule with this id that the caller may see (another caller's schedule looks the same). 404. */
class ScheduleNotFoundException extends ErrorResponseException {

    ScheduleNotFoundException(String id) {
        super(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND, ProblemTypes.SCHEDULE_NOT_FOUND,
                "Schedule not found", "No schedule with id " + id + "."), null);
    }
}
