SELECT
  *
FROM (
  SELECT
    COUNT(*) FILTER(WHERE
      "t1"."region_code" IN ('120116Z6', '120116402')
      AND (
        "t1"."kind" = 'invention'
      )) AS "inventions",
    COUNT(*) FILTER(WHERE
      "t1"."region_code" IN ('120116Z6', '120116402')) AS "applications",
    COUNT(*) AS "have_period"
  FROM (
    SELECT
      *
    FROM "patent" AS "t0"
    WHERE
      "t0"."filing_date" >= MAKE_DATE(2021, 1, 1)
      AND "t0"."filing_date" <= MAKE_DATE(2021, 12, 31)
  ) AS "t1"
) AS "t2"
