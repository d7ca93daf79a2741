from odoo import fields, models
from odoo.tools import SQL


class CustomerCompetitorReport(models.Model):
    """Opportunities by competitor: one row per opportunity and competitor it
    names or was lost to, with how it ended for us. ``win_rate`` is 100 on a
    deal won, 0 on a deal lost to that competitor and empty otherwise, so
    that its average is the win rate: won / (won + lost)."""

    _name = "customer.competitor.report"
    _description = "Competitor Analysis"
    _auto = False
    _rec_name = "lead_id"
    _order = "date desc"

    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    competitor_id = fields.Many2one("customer.competitor", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    stage_id = fields.Many2one("crm.stage", readonly=True)
    date = fields.Date(
        readonly=True, help="The closing date of the deal, else its creation."
    )
    outcome = fields.Selection(
        [
            ("won", "Won"),
            ("lost", "Lost to Them"),
            ("lost_other", "Lost Otherwise"),
            ("open", "Open"),
        ],
        readonly=True,
    )
    won_count = fields.Integer(string="Won", readonly=True)
    lost_count = fields.Integer(string="Lost", readonly=True)
    win_rate = fields.Float(string="Win Rate (%)", readonly=True, aggregator="avg")
    expected_revenue = fields.Monetary(readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            WITH deal AS (
                SELECT rel.lead_id, rel.competitor_id
                  FROM crm_lead_customer_competitor_rel rel
                 UNION
                SELECT lead.id, lead.lost_to_competitor_id
                  FROM crm_lead lead
                 WHERE lead.lost_to_competitor_id IS NOT NULL
            ), outcome AS (
                SELECT deal.lead_id,
                       deal.competitor_id,
                       CASE
                           WHEN NOT lead.active AND lead.probability = 0
                                AND lead.lost_to_competitor_id = deal.competitor_id
                           THEN 'lost'
                           WHEN NOT lead.active THEN 'lost_other'
                           WHEN stage.is_won AND lead.lost_to_competitor_id IS NULL
                           THEN 'won'
                           ELSE 'open'
                       END AS outcome
                  FROM deal
                  JOIN crm_lead lead ON lead.id = deal.lead_id
                  LEFT JOIN crm_stage stage ON stage.id = lead.stage_id
                 WHERE lead.type = 'opportunity'
            )
            SELECT ROW_NUMBER() OVER (ORDER BY lead.id, outcome.competitor_id) AS id,
                   lead.id AS lead_id,
                   outcome.competitor_id,
                   lead.company_id,
                   lead.user_id,
                   lead.team_id,
                   lead.partner_id,
                   lead.stage_id,
                   COALESCE(lead.date_closed, lead.create_date)::date AS date,
                   outcome.outcome,
                   (outcome.outcome = 'won')::int AS won_count,
                   (outcome.outcome = 'lost')::int AS lost_count,
                   CASE outcome.outcome
                       WHEN 'won' THEN 100.0
                       WHEN 'lost' THEN 0.0
                   END AS win_rate,
                   lead.expected_revenue,
                   company.currency_id
              FROM outcome
              JOIN crm_lead lead ON lead.id = outcome.lead_id
              LEFT JOIN res_company company ON company.id = lead.company_id
            """
        )
