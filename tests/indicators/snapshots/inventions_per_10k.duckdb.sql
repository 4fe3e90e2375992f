WITH "t6" AS (
  SELECT
    *
  FROM "region_fact" AS "t2"
  WHERE
    "t2"."region_code" = '120116Z6'
    AND "t2"."fact" = 'population'
    AND "t2"."year" = 2021
)
SELECT
  "t24"."numerator",
  "t10"."have_events",
  "t17"."population",
  "t18"."population_vintage",
  "t19"."population_source",
  "t13"."have_population"
FROM (
  SELECT
    COUNT(*) AS "numerator"
  FROM (
    SELECT
      "t7"."patent_id",
      "t7"."application_no",
      "t7"."publication_no",
      "t7"."grant_no",
      "t7"."kind",
      "t7"."filing_date",
      "t7"."publication_date",
      "t7"."grant_date",
      "t7"."priority_date",
      "t7"."title",
      "t7"."title_en",
      "t7"."abstract",
      "t7"."claims_count",
      "t7"."ipc_main",
      "t7"."applicant_address",
      "t7"."applicant_region",
      "t7"."owner_address",
      "t7"."owner_region",
      "t7"."region_code",
      "t7"."attribution_basis",
      "t7"."country",
      "t7"."domestic",
      "t7"."pct",
      "t7"."pct_application_no",
      "t7"."pct_date",
      "t7"."family_id",
      "t7"."family_size",
      "t7"."foreign_family",
      "t7"."cited_by_count",
      "t7"."industry",
      "t7"."status",
      "t7"."synthetic",
      "t7"."batch_id",
      "t21"."status" AS "status_right",
      "t21"."status_date"
    FROM (
      SELECT
        *
      FROM "patent" AS "t1"
      WHERE
        "t1"."region_code" IN ('120116Z6', '120116402')
        AND "t1"."kind" = 'invention'
        AND COALESCE("t1"."domestic", FALSE)
    ) AS "t7"
    INNER JOIN (
      SELECT
        *
      FROM (
        SELECT
          "t4"."patent_id",
          FIRST("t4"."status_after" ORDER BY "t4"."event_date" DESC) AS "status",
          MAX("t4"."event_date") AS "status_date"
        FROM (
          SELECT
            *
          FROM "patent_event" AS "t0"
          WHERE
            "t0"."status_after" IS NOT NULL AND "t0"."event_date" <= MAKE_DATE(2021, 12, 31)
        ) AS "t4"
        GROUP BY
          1
      ) AS "t11"
      WHERE
        "t11"."status" = 'granted'
    ) AS "t21"
      ON "t7"."patent_id" = "t21"."patent_id"
  ) AS "t22"
) AS "t24"
CROSS JOIN (
  SELECT
    COUNT(*) AS "have_events"
  FROM (
    SELECT
      *
    FROM "patent_event" AS "t0"
    WHERE
      "t0"."event_date" <= MAKE_DATE(2021, 12, 31)
  ) AS "t3"
) AS "t10"
CROSS JOIN (
  SELECT
    FIRST("t8"."value" ORDER BY "t8"."vintage" DESC) AS "population"
  FROM "t6" AS "t8"
) AS "t17"
CROSS JOIN (
  SELECT
    MAX("t8"."vintage") AS "population_vintage"
  FROM "t6" AS "t8"
) AS "t18"
CROSS JOIN (
  SELECT
    FIRST("t8"."source" ORDER BY "t8"."vintage" DESC) AS "population_source"
  FROM "t6" AS "t8"
) AS "t19"
CROSS JOIN (
  SELECT
    COUNT(*) AS "have_population"
  FROM "t6" AS "t8"
) AS "t13"
