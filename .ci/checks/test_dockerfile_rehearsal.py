"""Tests of dockerfile_rehearsal.py's parsing: python3 -m unittest discover -s .ci/checks"""
import os
import tempfile
import unittest

from dockerfile_rehearsal import dockerignore_regex, ignored, images, instructions, java_major, local_jdk, probe, stages


def rules(*lines):
    return [(line.startswith("!"), dockerignore_regex(line.lstrip("!"))) for line in lines]


class DockerignoreTest(unittest.TestCase):
    def test_allow_list_lets_through_only_what_it_names(self):
        allow = rules("*", "!mvnw", "!.mvn/", "!pom.xml", "!src/")
        self.assertFalse(ignored("src/main/java/App.java", allow))
        self.assertFalse(ignored(".mvn/wrapper/maven-wrapper.properties", allow))
        self.assertTrue(ignored("README.md", allow))
        self.assertTrue(ignored("target/app.jar", allow))

    def test_the_last_matching_rule_wins(self):
        self.assertTrue(ignored("src/secret.key", rules("!src/", "**/*.key")))
        self.assertFalse(ignored("src/secret.key", rules("**/*.key", "!src/")))

    def test_a_star_does_not_cross_folders(self):
        self.assertTrue(ignored("a.md", rules("*.md")))
        self.assertFalse(ignored("docs/a.md", rules("*.md")))
        self.assertTrue(ignored("docs/a.md", rules("**/*.md")))


class InstructionsTest(unittest.TestCase):
    def test_continuations_are_joined_and_stages_named(self):
        with tempfile.NamedTemporaryFile("w", suffix="Dockerfile", delete=False) as f:
            f.write("# comment\nFROM jdk AS build\nRUN a \\\n && b\n\nFROM jre\nUSER 10001:10001\n")
        try:
            parsed = stages(instructions(f.name))
        finally:
            os.unlink(f.name)
        self.assertEqual(list(parsed), ["build", "stage1"])
        self.assertEqual(parsed["build"], [("RUN", "a   && b")])
        self.assertEqual(parsed["stage1"], [("USER", "10001:10001")])

    def test_each_stage_keeps_its_base_image(self):
        parsed = [("FROM", "eclipse-temurin:17-jdk AS build"), ("RUN", "x"), ("FROM", "eclipse-temurin:25-jre")]
        self.assertEqual(images(parsed), {"build": "eclipse-temurin:17-jdk", "stage1": "eclipse-temurin:25-jre"})


class JdkTest(unittest.TestCase):
    def test_the_tag_names_the_release(self):
        self.assertEqual(java_major("eclipse-temurin:25-jre"), 25)
        self.assertEqual(java_major("eclipse-temurin:17.0.15_6-jdk"), 17)
        self.assertEqual(java_major("eclipse-temurin:21"), 21)

    def test_other_images_are_refused(self):
        with self.assertRaises(SystemExit):
            java_major("openjdk:17-jdk")

    def test_the_local_jdk_is_found_by_its_release_file(self):
        with tempfile.TemporaryDirectory() as root:
            for home, version in (("jdk-17", "17.0.15"), ("jdk-25", "25.0.3")):
                os.makedirs(os.path.join(root, home))
                with open(os.path.join(root, home, "release"), "w") as f:
                    f.write(f'IMPLEMENTOR="x"\nJAVA_VERSION="{version}"\n')
            self.assertEqual(local_jdk("eclipse-temurin:25-jre", root), os.path.join(root, "jdk-25"))
            self.assertEqual(local_jdk("eclipse-temurin:17-jdk", root), os.path.join(root, "jdk-17"))
            with self.assertRaises(SystemExit):
                local_jdk("eclipse-temurin:21-jre", root)


class ProbeTest(unittest.TestCase):
    def test_a_probe_passes_on_exit_status_zero_only(self):
        self.assertTrue(probe(["true"], dict(os.environ)))
        self.assertFalse(probe(["false"], dict(os.environ)))

    def test_a_probe_that_times_out_fails_instead_of_raising(self):
        self.assertFalse(probe(["sleep", "5"], dict(os.environ), timeout=0.2))


if __name__ == "__main__":
    unittest.main()
